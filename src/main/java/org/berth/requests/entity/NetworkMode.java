package org.berth.requests.entity;

/** How a guest is addressed: a pre-registered ledger entry, or an internal address behind NAT. */
public enum NetworkMode {
  LEDGER,
  NAT
}
