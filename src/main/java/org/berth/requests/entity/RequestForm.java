package org.berth.requests.entity;

import java.util.List;

/**
 * A request's fields after every rule has been checked (see {@code RequestValidator}); the only way
 * to make a {@link GuestRequest}.
 *
 * @param ledgerHost the ledger entry to hold, for {@link NetworkMode#LEDGER}
 * @param httpPort the guest's port to expose through the reverse proxy, for {@link NetworkMode#NAT}
 * @param sshKeys {@code authorized_keys} lines, one key each
 */
public record RequestForm(
    GuestKind kind,
    String name,
    String template,
    int cores,
    int memoryMib,
    int diskGib,
    NetworkMode networkMode,
    String ledgerHost,
    Integer httpPort,
    List<String> sshKeys,
    int leaseDays,
    String purpose) {

  public RequestForm {
    sshKeys = List.copyOf(sshKeys);
    if ((networkMode == NetworkMode.LEDGER) != (ledgerHost != null)) {
      throw new IllegalArgumentException("a ledger entry goes with the ledger network mode only");
    }
  }
}
