/**
 * Value types Berth stores and passes around instead of strings: {@link
 * org.berth.platform.value.MacAddress}, {@link org.berth.platform.value.Ipv4Address}, {@link
 * org.berth.platform.value.Ipv4Prefix} (with the subnet arithmetic of the NAT network and of
 * address batches), {@link org.berth.platform.value.Ipv6Address} and {@link
 * org.berth.platform.value.GuestPlace} (node and VMID). Each reads text strictly and names the rule
 * text breaks; each has one canonical text, which the JPA converters ({@code *Column}) store.
 */
package org.berth.platform.value;
