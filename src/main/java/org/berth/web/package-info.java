/**
 * Faces backing beans, one per page or dialog, in folders that mirror {@code src/main/webapp}.
 *
 * <p>Beans call boundaries of the features and get records back; they hold no business rules, open
 * no transactions and never touch an {@code EntityManager}.
 */
package org.berth.web;
