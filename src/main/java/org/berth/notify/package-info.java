/**
 * Mail to people about their requests. Features queue mail with {@link
 * org.berth.notify.Outbox#queue} inside their own transaction, so a message exists exactly when the
 * change it reports does; a job delivers it over SMTP after the commit and retries with backoff.
 * Without an SMTP host (the demo) mail stays in the outbox, which admins read on a page.
 */
package org.berth.notify;
