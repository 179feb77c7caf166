/**
 * What readiness checks share: {@link org.berth.platform.health.Probe}, a look at a part Berth
 * depends on (the hypervisor, the reverse proxy) that health calls and scrapes can ask for as often
 * as they like without waiting on a slow part or hammering it.
 */
package org.berth.platform.health;
