package org.berth.requests.entity;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.berth.platform.value.GuestPlace;
import org.berth.platform.value.Ipv4Address;
import org.berth.platform.value.Ipv6Address;
import org.berth.platform.value.MacAddress;

/**
 * A developer's request for a guest. Its state changes only through the verbs below; each checks
 * that the move is allowed from the current state and writes an audit event. The version column
 * makes two people acting on one request at once conflict instead of both winning.
 */
@Entity
@Table(name = "guest_request")
public class GuestRequest {

  private static final java.time.format.DateTimeFormatter DAY =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
          .withZone(java.time.ZoneOffset.UTC);

  /** The actor name of changes Berth makes on its own (policy, leases). */
  public static final String BERTH = "berth";

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Column(nullable = false, updatable = false)
  private String owner;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  private RequestState state;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false, updatable = false)
  private GuestKind kind;

  @Column(nullable = false, updatable = false)
  private String name;

  @ManyToOne(fetch = FetchType.EAGER, optional = false)
  @JoinColumn(name = "template_id", nullable = false, updatable = false)
  private Template template;

  @Column(nullable = false, updatable = false)
  private int cores;

  @Column(name = "memory_mib", nullable = false, updatable = false)
  private int memoryMib;

  @Column(name = "disk_gib", nullable = false, updatable = false)
  private int diskGib;

  @Enumerated(EnumType.STRING)
  @Column(name = "network_mode", nullable = false, updatable = false)
  private NetworkMode networkMode;

  @Column(name = "http_port", updatable = false)
  private Integer httpPort;

  @Column(name = "ledger_host", updatable = false)
  private String ledgerHost;

  private Ipv4Address ipv4;
  private Ipv6Address ipv6;
  private MacAddress mac;

  @Column(name = "claim_commit")
  private String claimCommit;

  @Column(name = "address_released_at")
  private Instant addressReleasedAt;

  @Column(name = "release_commit")
  private String releaseCommit;

  @Column(name = "ssh_keys", nullable = false, updatable = false)
  private String[] sshKeys;

  @Column(name = "lease_days", nullable = false)
  private int leaseDays;

  @Column(name = "lease_ends")
  private Instant leaseEnds;

  @Column(name = "lease_warned_days")
  private Integer leaseWarnedDays;

  @Column(nullable = false, updatable = false)
  private String purpose;

  private String reason;

  @Column(name = "guest_node")
  private String guestNode;

  @Column(name = "guest_vmid")
  private Integer guestVmid;

  @Column(nullable = false, updatable = false)
  private Instant created;

  @Column(nullable = false)
  private Instant updated;

  @Version private long version;

  @OneToMany(mappedBy = "request", cascade = CascadeType.PERSIST)
  @OrderBy("id")
  private List<RequestEvent> events = new ArrayList<>();

  protected GuestRequest() {}

  /** A submitted request; the first audit event says who submitted it. */
  public GuestRequest(RequestForm form, Template template, String owner, Instant now) {
    this.owner = Objects.requireNonNull(owner);
    this.kind = form.kind();
    this.name = form.name();
    this.template = template;
    this.cores = form.cores();
    this.memoryMib = form.memoryMib();
    this.diskGib = form.diskGib();
    this.networkMode = form.networkMode();
    this.httpPort = form.httpPort();
    this.ledgerHost = form.ledgerHost();
    this.sshKeys = form.sshKeys().toArray(String[]::new);
    this.leaseDays = form.leaseDays();
    this.purpose = form.purpose();
    this.created = now;
    this.updated = now;
    this.state = RequestState.SUBMITTED;
    events.add(new RequestEvent(this, now, owner, null, RequestState.SUBMITTED, null));
  }

  /** Copies the held entry's addresses, as the ledger had them when the claim was committed. */
  public void recordClaim(String commit, Ipv4Address ipv4, Ipv6Address ipv6, MacAddress mac) {
    this.claimCommit = commit;
    this.ipv4 = ipv4;
    this.ipv6 = ipv6;
    this.mac = mac;
  }

  /**
   * Gives a NAT guest its address and MAC on the internal network. Giving the same pair again is
   * harmless; a different pair, a ledger request or a request that is over is refused.
   */
  public void assignNatAddress(Ipv4Address ipv4, MacAddress mac, Instant now) {
    if (networkMode != NetworkMode.NAT || state.terminal()) {
      throw new IllegalStateException(
          "request " + id + " (" + networkMode + ", " + state + ") cannot take a NAT address");
    }
    if (this.ipv4 != null) {
      if (this.ipv4.equals(ipv4) && this.mac.equals(mac)) {
        return;
      }
      throw new IllegalStateException("request " + id + " has its NAT address already");
    }
    this.ipv4 = Objects.requireNonNull(ipv4);
    this.mac = Objects.requireNonNull(mac);
    this.updated = now;
  }

  /** Approves it; the lease starts now and ends {@code leaseDays} later. */
  public void approve(String actor, String reason, Instant now) {
    move(RequestState.APPROVED, actor, reason, now, "approved");
    this.leaseEnds = now.plus(Duration.ofDays(leaseDays));
    this.leaseWarnedDays = null;
  }

  public void reject(String actor, String reason, Instant now) {
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("a rejection needs a reason");
    }
    move(RequestState.REJECTED, actor, reason, now, "rejected");
  }

  /** Withdraws a request that has no guest yet. */
  public void cancel(String actor, String reason, Instant now) {
    move(RequestState.CANCELLED, actor, reason, now, "cancelled");
  }

  public void startProvisioning(String actor, Instant now) {
    move(RequestState.PROVISIONING, actor, null, now, "provisioned");
  }

  /**
   * Records where the guest is (being) created, before the hypervisor is asked to create it, so
   * that a guest half-created by an interrupted job is found again and never duplicated.
   */
  public void placeGuest(GuestPlace place, Instant now) {
    if (state != RequestState.PROVISIONING) {
      throw new IllegalTransition(id == null ? 0 : id, state, "placed");
    }
    this.guestNode = place.node();
    this.guestVmid = place.vmid();
    this.updated = now;
  }

  /** Records that the guest is now on another node (it was migrated on the cluster). */
  public void moveGuest(String node, Instant now) {
    if (guestVmid == null || node.equals(guestNode)) {
      return;
    }
    events.add(
        new RequestEvent(
            this, now, BERTH, state, state, "guest found on " + node + " (was " + guestNode + ")"));
    this.guestNode = node;
    this.updated = now;
  }

  /**
   * A line of the request's audit trail that changes nothing ("opened the console"), to be
   * persisted on its own: the request itself, and its version, stay as they are.
   */
  public RequestEvent noted(String actor, String what, Instant now) {
    return new RequestEvent(this, now, actor, state, state, what);
  }

  public void markReady(GuestPlace place, Instant now) {
    move(RequestState.READY, BERTH, null, now, "marked ready");
    this.guestNode = place.node();
    this.guestVmid = place.vmid();
  }

  public void fail(String reason, Instant now) {
    move(RequestState.FAILED, BERTH, reason, now, "marked failed");
  }

  /** Tries a failed request again. */
  public void retry(String actor, Instant now) {
    move(RequestState.APPROVED, actor, "retry", now, "retried");
  }

  /** The lease has ended: the guest is stopped and deleted after the grace period. */
  public void expire(Instant now) {
    move(RequestState.EXPIRED, BERTH, "lease ended", now, "expired");
  }

  /**
   * Starts removing the guest. Without a guest there is nothing to remove, and the request is
   * deleted at once (two audit events).
   */
  public void beginDeletion(String actor, String reason, Instant now) {
    move(RequestState.DELETING, actor, reason, now, "deleted");
    if (guestVmid == null) {
      move(RequestState.DELETED, BERTH, "no guest to remove", now, "deleted");
    }
  }

  public void markDeleted(Instant now) {
    move(RequestState.DELETED, BERTH, null, now, "marked deleted");
  }

  /** Moves the lease's end; warnings start over. */
  public void extendLease(String actor, Instant newEnd, Instant now) {
    if (!state.leaseRuns()) {
      throw new IllegalTransition(id == null ? 0 : id, state, "extended");
    }
    if (leaseEnds == null || !newEnd.isAfter(leaseEnds)) {
      throw new IllegalArgumentException("the new end must be after the current one");
    }
    Instant old = leaseEnds;
    this.leaseEnds = newEnd;
    this.leaseWarnedDays = null;
    this.updated = now;
    events.add(
        new RequestEvent(
            this,
            now,
            actor,
            state,
            state,
            "lease extended from " + DAY.format(old) + " to " + DAY.format(newEnd)));
  }

  public void leaseWarned(int days) {
    this.leaseWarnedDays = days;
  }

  public void addressReleased(String commit, Instant now) {
    this.releaseCommit = commit;
    this.addressReleasedAt = now;
  }

  /** Whether its ledger entry should be given back: it is held, and the request is over. */
  public boolean holdsAddressItNoLongerNeeds() {
    return ledgerHost != null && addressReleasedAt == null && state.terminal();
  }

  private void move(RequestState to, String actor, String why, Instant now, String verb) {
    if (!state.canMoveTo(to)) {
      throw new IllegalTransition(id == null ? 0 : id, state, verb);
    }
    events.add(new RequestEvent(this, now, actor, state, to, why));
    this.state = to;
    if (to.terminal() && networkMode == NetworkMode.NAT && ipv4 != null) {
      this.addressReleasedAt = now;
    }
    this.reason = why == null ? reason : why;
    this.updated = now;
  }

  public Long id() {
    return id;
  }

  public String owner() {
    return owner;
  }

  public RequestState state() {
    return state;
  }

  public GuestKind kind() {
    return kind;
  }

  public String name() {
    return name;
  }

  public Template template() {
    return template;
  }

  public int cores() {
    return cores;
  }

  public int memoryMib() {
    return memoryMib;
  }

  public int diskGib() {
    return diskGib;
  }

  public NetworkMode networkMode() {
    return networkMode;
  }

  public Integer httpPort() {
    return httpPort;
  }

  public Optional<String> ledgerHost() {
    return Optional.ofNullable(ledgerHost);
  }

  public Ipv4Address ipv4() {
    return ipv4;
  }

  public Ipv6Address ipv6() {
    return ipv6;
  }

  public MacAddress mac() {
    return mac;
  }

  public String claimCommit() {
    return claimCommit;
  }

  public String releaseCommit() {
    return releaseCommit;
  }

  public Instant addressReleasedAt() {
    return addressReleasedAt;
  }

  public List<String> sshKeys() {
    return List.of(sshKeys);
  }

  public int leaseDays() {
    return leaseDays;
  }

  public Instant leaseEnds() {
    return leaseEnds;
  }

  public Integer leaseWarnedDays() {
    return leaseWarnedDays;
  }

  public String purpose() {
    return purpose;
  }

  public String reason() {
    return reason;
  }

  public String guestNode() {
    return guestNode;
  }

  /** Where the guest is (being) created, once placement has recorded it; otherwise null. */
  public GuestPlace guestPlace() {
    return guestVmid == null ? null : new GuestPlace(guestNode, guestVmid);
  }

  public Instant created() {
    return created;
  }

  public Instant updated() {
    return updated;
  }

  public long version() {
    return version;
  }

  public List<RequestEvent> events() {
    return List.copyOf(events);
  }

  /** When the request was last approved (by an admin or the auto-approve limits), if it was. */
  public java.util.Optional<Instant> approvedAt() {
    return events.stream()
        .filter(e -> e.to() == RequestState.APPROVED)
        .reduce((first, second) -> second)
        .map(RequestEvent::at);
  }
}
