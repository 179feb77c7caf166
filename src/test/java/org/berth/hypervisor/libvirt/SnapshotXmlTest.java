package org.berth.hypervisor.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.berth.hypervisor.Snapshot;
import org.junit.jupiter.api.Test;

/** Snapshots read from {@code virsh snapshot-dumpxml} as libvirt 9 writes it, two in a row. */
class SnapshotXmlTest {

  private static final String DUMPS =
      """
      <domainsnapshot>
        <name>clean</name>
        <description>Taken through Berth for request 7 &amp; more, caf&#233;</description>
        <state>running</state>
        <creationTime>1796400000</creationTime>
        <memory snapshot='internal'/>
        <disks>
          <disk name='vda' snapshot='internal'/>
          <disk name='vdb' snapshot='no'/>
        </disks>
        <domain type='qemu'>
          <name>berth-10000</name>
          <title>ledgervm</title>
          <description>not the snapshot's</description>
          <metadata/>
        </domain>
        <cookie/>
      </domainsnapshot>
      <domainsnapshot>
        <name>before-upgrade</name>
        <state>shutoff</state>
        <parent>
          <name>clean</name>
        </parent>
        <creationTime>1796400600</creationTime>
        <domain type='qemu'>
          <name>berth-10000</name>
        </domain>
      </domainsnapshot>
      """;

  @Test
  void eachSnapshotIsReadFromItsOwnElementsNotFromTheDomainItHolds() {
    assertThat(DomainXml.snapshots(DUMPS))
        .containsExactly(
            new Snapshot(
                "clean",
                "Taken through Berth for request 7 & more, café",
                Instant.ofEpochSecond(1796400000),
                true),
            new Snapshot("before-upgrade", "", Instant.ofEpochSecond(1796400600), false));
  }

  @Test
  void nothingIsReadFromNoDocuments() {
    assertThat(DomainXml.snapshots("")).isEmpty();
    assertThat(DomainXml.snapshots("error: no snapshot")).isEmpty();
  }
}
