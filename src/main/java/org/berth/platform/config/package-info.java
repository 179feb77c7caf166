/**
 * Which kind of instance this is: the demo ({@code berth.demo=true}), whose conveniences (built-in
 * accounts, passwords over HTTP Basic, the simulated cluster when no hypervisor is set, demo
 * templates) exist nowhere else, or a production instance, which refuses to start without an
 * identity provider and a hypervisor. Any feature may ask {@link org.berth.platform.config.Mode}.
 */
package org.berth.platform.config;
