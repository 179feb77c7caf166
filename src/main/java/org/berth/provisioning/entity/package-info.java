/**
 * What provisioning keeps in the database as entities: the findings of reconciliation and its runs.
 */
package org.berth.provisioning.entity;
