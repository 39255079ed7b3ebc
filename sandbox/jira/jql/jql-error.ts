/**
 * A JQL query Jira would refuse. `messages` are worded like Jira's own
 * (`errorMessages` of a 400), so apps that surface them to admins read true.
 */
export class JqlError extends Error {
  override readonly name = 'JqlError';
  readonly messages: string[];

  constructor(messages: string[]) {
    super(messages.join(' '));
    this.messages = messages;
  }
}
