/** Network values every feature shares: the arithmetic of dotted IPv4 addresses, written once. */
package org.berth.platform.net;
