package org.berth.provisioning.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.berth.provisioning.boundary.ProvisioningJobs.PowerJob;
import org.berth.provisioning.boundary.ProvisioningJobs.SnapshotJob;
import org.junit.jupiter.api.Test;

/**
 * What power and snapshot jobs read from their data: the forms Berth writes, older ones, and data
 * that cannot be read, which drops the job instead of failing it every minute without end.
 */
class JobDataTest {

  @Test
  void powerJobsReadTheirActionAndTries() {
    assertThat(PowerJob.read("42", "SHUTDOWN"))
        .contains(new PowerJob(42, Provisioner.PowerAction.SHUTDOWN, Tries.FIRST));
    assertThat(PowerJob.read("42", "START:3"))
        .contains(new PowerJob(42, Provisioner.PowerAction.START, new Tries(3, null)));
    assertThat(PowerJob.read("42", "STOP:0@1796400000"))
        .contains(
            new PowerJob(
                42,
                Provisioner.PowerAction.STOP,
                new Tries(0, Instant.ofEpochSecond(1_796_400_000L))));
  }

  @Test
  void snapshotJobsReadTheirActionTriesAndName() {
    assertThat(SnapshotJob.read("7", "TAKE:0:before-change"))
        .contains(new SnapshotJob(7, SnapshotAction.TAKE, Tries.FIRST, "before-change"));
    assertThat(SnapshotJob.read("7", "ROLLBACK:1@1796400000:clean"))
        .contains(
            new SnapshotJob(
                7,
                SnapshotAction.ROLLBACK,
                new Tries(1, Instant.ofEpochSecond(1_796_400_000L)),
                "clean"));
  }

  @Test
  void dataThatCannotBeReadIsNoJob() {
    for (String data : new String[] {"", "JUMP", "START:1:2", "start", null}) {
      assertThat(PowerJob.read("42", data)).as(String.valueOf(data)).isEmpty();
    }
    assertThat(PowerJob.read("forty-two", "START")).isEmpty();
    for (String data : new String[] {"", "TAKE", "TAKE:0", "KEEP:0:x", null}) {
      assertThat(SnapshotJob.read("7", data)).as(String.valueOf(data)).isEmpty();
    }
    assertThat(SnapshotJob.read("9".repeat(30), "TAKE:0:x")).isEmpty();
  }
}
