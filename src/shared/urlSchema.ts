import { z } from 'zod';

/**
 * An http(s) URL without credentials in it; `noun` names the field in messages, `example` shows what
 * is expected, `credentialsHint` what to do instead of embedding credentials.
 */
export function httpUrlSchema(noun: string, example: string, credentialsHint: string) {
  return z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        ctx.addIssue({ code: 'custom', message: `"${value}" is not a valid URL (expected e.g. ${example})` });
        return;
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:')
        ctx.addIssue({ code: 'custom', message: `${noun} must start with https:// or http://, got "${url.protocol}"` });
      if (url.username || url.password) ctx.addIssue({ code: 'custom', message: `${noun} must not contain credentials${credentialsHint}` });
    });
}
