/**
 * Persistent jobs: one db-scheduler over Berth's PostgreSQL runs the tasks that features contribute
 * as {@link org.berth.platform.jobs.JobSource}s. A job scheduled inside a transaction is written in
 * that transaction, so it exists exactly when the change that asked for it does; it runs after the
 * commit, survives restarts, and is claimed with row locks when several instances share the work.
 */
package org.berth.platform.jobs;
