package org.berth.provisioning.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.berth.access.control.NatNetwork;
import org.berth.hypervisor.Hypervisor;
import org.berth.hypervisor.proxmox.ProxmoxHypervisor;
import org.berth.hypervisor.simulator.SimulatedGuest;
import org.berth.hypervisor.simulator.SimulatedProxmox;
import org.berth.hypervisor.simulator.SimulatorSettings;
import org.berth.notify.Outbox;
import org.berth.platform.value.Ipv4Address;
import org.berth.platform.value.MacAddress;
import org.berth.provisioning.entity.Provisioning;
import org.berth.provisioning.entity.Step;
import org.berth.requests.boundary.GuestLog;
import org.berth.requests.boundary.RequestChanged;
import org.berth.requests.boundary.RequestMail;
import org.berth.requests.boundary.RequestStore;
import org.berth.requests.entity.GuestRequest;
import org.berth.requests.entity.RequestState;
import org.berth.requests.entity.Template;
import org.berth.testing.ComponentJobs;
import org.berth.testing.Components;
import org.berth.testing.MapConfig;
import org.berth.testing.RecordingEvent;
import org.berth.testing.Standalone;
import org.berth.testing.TestClusters;
import org.berth.testing.TestRequests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The provisioner and its stores without Payara: the real Proxmox adapter against the simulated
 * cluster in this JVM, the stores on the embedded PostgreSQL, one transaction per store call as in
 * the container. A job that dies right after any of its hypervisor calls (as when its instance is
 * killed) is run again from what the database holds, and leaves exactly one guest, as {@code
 * ProvisioningCrashIT} shows with real processes for some of those points.
 */
@Standalone
class ProvisioningComponentTest {

  static final String SECRET = "5e1f0c2a-7d3b-4e6f-9a8b-0c1d2e3f4a5b";
  static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

  static Components components;
  static SimulatedProxmox cluster;
  static Provisioner provisioner;
  static RecordingEvent<RequestChanged> changes;

  /** The hypervisor call after which the job dies, once; null for none. */
  static final AtomicReference<String> dieAfter = new AtomicReference<>();

  /** The job died: nothing after the hypervisor call it made ran. */
  static final class Died extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Died(String call) {
      super("the job died right after " + call);
    }
  }

  @BeforeAll
  static void start() throws Exception {
    components = Components.start();
    cluster =
        SimulatedProxmox.start(
            SimulatorSettings.defaults()
                .withToken("berth@pve!component", SECRET)
                .withTaskDuration(Duration.ofMillis(50)));
    MapConfig config =
        new MapConfig(
            Map.of(
                "berth.provisioning.retry-seconds", "0.1",
                "berth.proxmox.vmid-min", "20000",
                "berth.proxmox.vmid-max", "20099"));
    ProvisioningSettings settings = new ProvisioningSettings();
    settings.config = config;
    settings.natNetwork = new NatNetwork("10.77.0.0/24", null, List.of(), "02:be:27", "vmbr1");
    settings.read();

    ComponentJobs jobs = new ComponentJobs("component-1");
    changes = new RecordingEvent<>();
    Outbox outbox = components.store(Outbox.class);
    Components.inject(outbox, "config", config);
    Components.inject(outbox, "jobs", jobs);
    Components.inject(
        outbox, "registry", new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    Components.call(outbox, "init");
    RequestMail mail = components.store(RequestMail.class);
    Components.inject(mail, "outbox", outbox);
    Components.inject(
        mail, "accessPoints", new org.berth.requests.control.AccessPoints(null, null, 22, 22));
    GuestLog guestLog = components.store(GuestLog.class);
    Components.inject(guestLog, "jobs", jobs);
    RequestStore requests = components.store(RequestStore.class);
    Components.inject(requests, "mail", mail);
    Components.inject(requests, "scheduler", jobs);
    Components.inject(requests, "changes", changes);
    NodeSlots slots = components.store(NodeSlots.class);
    VmidAllocations vmids = components.store(VmidAllocations.class);
    vmids.settings = settings;
    ProvisioningStore store = components.store(ProvisioningStore.class);
    store.requests = requests;
    store.settings = settings;
    store.guestLog = guestLog;
    store.vmids = vmids;
    store.slots = slots;

    Hypervisor proxmox =
        new ProxmoxHypervisor(
            TestClusters.proxmox(
                cluster.url(), "berth@pve!component", SECRET, Duration.ofMillis(20)));
    provisioner = new Provisioner();
    provisioner.store = store;
    provisioner.slots = slots;
    provisioner.guestLog = guestLog;
    provisioner.settings = settings;
    provisioner.hypervisor = dying(proxmox);
    provisioner.powers = new GuestPowers();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.stop();
    }
    components.close();
  }

  @BeforeEach
  void fresh() {
    dieAfter.set(null);
    cluster.clearJournal();
  }

  /** The hypervisor, dying once right after the call {@link #dieAfter} names has returned. */
  static Hypervisor dying(Hypervisor real) {
    return (Hypervisor)
        Proxy.newProxyInstance(
            Hypervisor.class.getClassLoader(),
            new Class<?>[] {Hypervisor.class},
            (proxy, method, args) -> {
              Object result;
              try {
                result = method.invoke(real, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              String armed = dieAfter.get();
              if (method.getName().equals(armed) && dieAfter.compareAndSet(armed, null)) {
                throw new Died(method.getName());
              }
              return result;
            });
  }

  @Test
  void anApprovedNatVmBecomesReadyWithItsAddressAndMacAndItsSlotIsFreeAgain() throws Exception {
    long id = approvedVm("comp-ready");

    runToTheEnd(id);

    GuestRequest r = request(id);
    assertThat(r.state()).isEqualTo(RequestState.READY);
    SimulatedGuest guest = only(guestsOf(id));
    assertThat(guest.status()).isEqualTo("running");
    assertThat(guest.vmid()).isEqualTo(r.guestPlace().vmid()).isBetween(20000, 20099);
    assertThat(guest.config().get("net0"))
        .startsWith("virtio=" + r.mac().toString().toUpperCase() + ",bridge=vmbr1");
    assertThat(guest.config().get("ipconfig0")).contains("ip=" + r.ipv4() + "/24");
    Provisioning p = progress(id);
    assertThat(p.step()).isEqualTo(Step.DONE);
    assertThat(p.holdsSlot()).isFalse();
    assertThat(changes.fired()).anyMatch(c -> c.id() == id && c.state() == RequestState.READY);
  }

  /**
   * The points at which a job can be cut off between what the hypervisor did and what the database
   * recorded: after the clone, after the configuration, after the start.
   */
  @ParameterizedTest
  @ValueSource(strings = {"create", "configure", "start"})
  void aJobThatDiesRightAfterAHypervisorCallIsRunAgainAndLeavesExactlyOneGuest(String call)
      throws Exception {
    long id = approvedVm("comp-dies-" + call);
    dieAfter.set(call);

    assertThatThrownBy(() -> runToTheEnd(id)).isInstanceOf(Died.class);
    assertThat(request(id).state()).isEqualTo(RequestState.PROVISIONING);

    runToTheEnd(id);

    GuestRequest r = request(id);
    assertThat(r.state()).isEqualTo(RequestState.READY);
    SimulatedGuest guest = only(guestsOf(id));
    assertThat(guest.status()).isEqualTo("running");
    assertThat(guest.vmid()).isEqualTo(r.guestPlace().vmid());
    assertThat(
            cluster.journal().stream()
                .filter(c -> c.method().equals("POST") && c.path().endsWith("/clone"))
                .count())
        .as("clones of request " + id)
        .isEqualTo(1);
  }

  /**
   * A shutdown asked while a backup holds the guest's lock waits for it without using up attempts,
   * says so once in the guest's log, runs once the lock is gone, and gives up after an hour.
   */
  @Test
  void aPowerActionWaitsOutAnotherTasksLockWithoutUsingUpItsAttempts() throws Exception {
    long id = approvedVm("comp-locked");
    runToTheEnd(id);
    int vmid = request(id).guestPlace().vmid();
    cluster.lock(vmid, "backup");

    Tries tries = Tries.FIRST;
    for (int look = 0; look < settingsAttempts() + 2; look++) {
      Provisioner.Later later =
          provisioner.power(id, Provisioner.PowerAction.SHUTDOWN, tries).orElseThrow();
      assertThat(later.tries().failures()).isZero();
      assertThat(later.tries().lockedSince()).isNotNull();
      if (tries.lockedSince() != null) {
        assertThat(later.tries().lockedSince()).isEqualTo(tries.lockedSince());
      }
      assertThat(later.at()).isAfter(Instant.now());
      tries = later.tries();
    }
    assertThat(only(guestsOf(id)).status()).isEqualTo("running");
    assertThat(guestLog(id))
        .filteredOn(l -> l.detail().startsWith("waiting"))
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.detail())
                  .isEqualTo("waiting: the guest is locked by another task (backup)");
              assertThat(l.outcome()).isEqualTo(org.berth.requests.boundary.GuestLog.Outcome.RETRY);
            });

    // Once the lock is gone, the shutdown runs.
    cluster.lock(vmid, null);
    assertThat(provisioner.power(id, Provisioner.PowerAction.SHUTDOWN, tries)).isEmpty();
    assertThat(only(guestsOf(id)).status()).isEqualTo("stopped");

    // A lock that outlasts the patience ends the wait, saying why, and nothing is done.
    cluster.lock(vmid, "backup");
    Tries overdue = new Tries(0, Instant.now().minus(Provisioner.LOCK_PATIENCE).minusSeconds(1));
    assertThat(provisioner.power(id, Provisioner.PowerAction.START, overdue)).isEmpty();
    assertThat(only(guestsOf(id)).status()).isEqualTo("stopped");
    assertThat(guestLog(id).get(guestLog(id).size() - 1).detail())
        .isEqualTo(
            "the guest has been locked (backup) for over 60 minutes; nothing done: ask again once"
                + " its lock is gone");
    cluster.lock(vmid, null);
  }

  static int settingsAttempts() {
    return provisioner.settings.attempts();
  }

  static List<org.berth.requests.boundary.GuestLog.Line> guestLog(long id) {
    return provisioner.guestLog.lines(id);
  }

  /** Runs the job as the scheduler would, again and again, until it says it is finished. */
  static void runToTheEnd(long id) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(deadline)) {
      Optional<Instant> next = provisioner.provision(id);
      if (next.isEmpty()) {
        return;
      }
      Duration wait = Duration.between(Instant.now(), next.get());
      if (!wait.isNegative()) {
        Thread.sleep(Math.min(wait.toMillis(), 200));
      }
    }
    throw new AssertionError("request " + id + " was still being provisioned after 30 s");
  }

  static long approvedVm(String name) throws Exception {
    return components.inTransaction(
        () -> {
          Template template =
              components
                  .em
                  .createQuery(
                      "SELECT t FROM Template t WHERE t.name = 'debian-12'", Template.class)
                  .getResultStream()
                  .findFirst()
                  .orElseGet(
                      () -> {
                        Template t = TestRequests.debianVm();
                        components.em.persist(t);
                        return t;
                      });
          GuestRequest r = TestRequests.onNat(template, name, null, 5, "component tests", T0);
          r.approve("admin", null, T0);
          components.em.persist(r);
          components.em.flush();
          int host = 10 + (int) (r.id() % 200);
          r.assignNatAddress(
              Ipv4Address.parse("10.77.0." + host),
              MacAddress.of(String.format("02:be:27:00:00:%02x", host)),
              T0);
          return r.id();
        });
  }

  static GuestRequest request(long id) throws Exception {
    return components.inTransaction(() -> components.em.find(GuestRequest.class, id));
  }

  static Provisioning progress(long id) throws Exception {
    return components.inTransaction(() -> components.em.find(Provisioning.class, id));
  }

  static List<SimulatedGuest> guestsOf(long id) {
    return cluster.guests().stream().filter(g -> g.tags().contains("berth-request-" + id)).toList();
  }

  static SimulatedGuest only(List<SimulatedGuest> guests) {
    assertThat(guests).hasSize(1);
    return guests.get(0);
  }
}
