import { describe, expect, it } from 'vitest';
import { EventHub } from '../../src/service/events.ts';

describe('EventHub', () => {
  it('delivers an event to every listener when one of them throws, and reports the failure', () => {
    const failures: string[] = [];
    const hub = new EventHub((event, error) => failures.push(`${event}: ${(error as Error).message}`));
    const heard: string[] = [];
    hub.subscribe((event) => heard.push(`first ${event}`));
    hub.subscribe(() => {
      throw new Error('window destroyed');
    });
    hub.subscribe((event) => heard.push(`third ${event}`));
    expect(() => hub.emit('instancesChanged', {})).not.toThrow();
    expect(heard).toEqual(['first instancesChanged', 'third instancesChanged']);
    expect(failures).toEqual(['instancesChanged: window destroyed']);
  });

  it('stops delivering to a listener once it unsubscribed', () => {
    const hub = new EventHub();
    const heard: string[] = [];
    const unsubscribe = hub.subscribe((event) => heard.push(event));
    hub.emit('instancesChanged', {});
    unsubscribe();
    hub.emit('instancesChanged', {});
    expect(heard).toEqual(['instancesChanged']);
  });
});
