/** The error every stage of JQL answers with, and where in the query text it happened, as Jira words it. */
export class JqlError extends Error {
  readonly status: number;
  constructor(message: string, status = 400) {
    super(message);
    this.name = 'JqlError';
    this.status = status;
  }
}

export function where(text: string, pos: number): string {
  let line = 1;
  let col = 1;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      col = 1;
    } else col++;
  }
  return `(line ${line}, character ${col})`;
}
