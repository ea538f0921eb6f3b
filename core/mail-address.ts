// The one check of an e-mail address, for forms that take one and for the
// outbox that sends to it (services/mail.ts): an address the form accepts is
// one the mail can be sent to.

/** A plain address: no spaces, quotes, brackets or line breaks; one @ and a dotted domain of letters, digits and dashes. */
const addressPattern = /^[^\s@<>()[\]\\,;:"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+$/;

export function isMailAddress(value: string): boolean {
  return value.length <= 254 && addressPattern.test(value) && !/[\r\n]/.test(value);
}
