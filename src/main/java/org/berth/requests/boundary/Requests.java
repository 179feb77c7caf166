package org.berth.requests.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.berth.identity.Account;
import org.berth.ledger.boundary.Ledger;
import org.berth.ledger.boundary.LedgerQueries;
import org.berth.ledger.control.AddressTaken;
import org.berth.ledger.control.LedgerBusy;
import org.berth.ledger.control.LedgerInvalid;
import org.berth.ledger.control.LedgerRemoteUnavailable;
import org.berth.ledger.control.LedgerUnreachable;
import org.berth.ledger.control.LedgerWriter;
import org.berth.ledger.control.UnknownEntry;
import org.berth.platform.refusal.InvalidInput;
import org.berth.platform.refusal.Refusal;
import org.berth.requests.control.ClaimPending;
import org.berth.requests.control.NotAllowed;
import org.berth.requests.control.QuotaExceeded;
import org.berth.requests.control.RequestDraft;
import org.berth.requests.control.RequestValidator;
import org.berth.requests.control.UnknownRequest;
import org.berth.requests.entity.NetworkMode;
import org.berth.requests.entity.RequestForm;

/**
 * The request use cases for the API and the pages. Each is its own short transaction; the ledger is
 * reached between them, never inside one. Callers see only their own requests unless they are
 * admins; anyone else's request is reported as not existing.
 */
@ApplicationScoped
public class Requests {

  private static final Logger LOG = Logger.getLogger(Requests.class.getName());

  @Inject RequestStore store;
  @Inject RequestQueries queries;
  @Inject Templates templates;
  @Inject RequestSettings settings;
  @Inject Ledger ledger;
  @Inject LedgerQueries entries;
  @Inject RequestMetrics metrics;

  /**
   * Submits a request: every field is checked, then the database checks (name, entry, quota), then
   * the ledger entry is claimed with a commit authored by {@code owner}. A request refused at any
   * step leaves no row and no claim; so does one whose ledger remote cannot be reached (503 {@code
   * ledger_unavailable}). Only a push whose outcome is unknown keeps the request until a job has
   * looked at the ledger (503 {@code claim_pending}).
   *
   * @param earlier problems found while reading the input (such as a size that is not a number)
   */
  public RequestView submit(RequestDraft draft, Map<String, String> earlier, Account owner) {
    RequestForm form =
        new RequestValidator(settings.policy(), templates::activeSpec).check(draft, earlier);
    if (form.networkMode() == NetworkMode.LEDGER) {
      checkEntry(form.ledgerHost());
    }
    long id = store.submit(form, owner);
    if (form.networkMode() == NetworkMode.NAT) {
      metrics.submitted(NetworkMode.NAT);
      return store.view(id, true);
    }
    LedgerWriter.Outcome claim;
    try {
      claim = ledger.claim(form.ledgerHost(), owner.username(), owner, "request " + id);
    } catch (AddressTaken | UnknownEntry | LedgerInvalid | LedgerBusy | InvalidInput e) {
      // Refused for certain: nothing was pushed, so nothing is kept.
      store.discard(id);
      if (e instanceof AddressTaken taken) {
        throw new AddressTaken("network.host", taken.getMessage());
      }
      throw e;
    } catch (LedgerUnreachable e) {
      // The remote was not reached, so nothing was pushed: the request goes, with its job and mail.
      store.discard(id);
      LOG.log(
          Level.WARNING,
          "Request {0} not submitted: the ledger remote cannot be reached: {1}",
          new Object[] {id, e.getMessage()});
      throw new LedgerRemoteUnavailable(
          "The address ledger's Git remote cannot be reached; nothing was claimed. Try again"
              + " later ("
              + e.getMessage()
              + ")",
          null);
    } catch (RuntimeException e) {
      // The push may have landed (a timeout after the remote took it): let the job find out.
      store.checkClaimSoon(id);
      LOG.log(Level.WARNING, "Request {0}: claim outcome unknown: {1}", new Object[] {id, e});
      throw new ClaimPending(id, form.ledgerHost(), e.getMessage());
    }
    try {
      store.claimed(
          id, claim.commit(), claim.entry().ipv4(), claim.entry().ipv6(), claim.entry().mac());
    } catch (RuntimeException e) {
      // The claim stands in Git; the claim-check job records it or gives it back.
      LOG.log(Level.WARNING, "Request {0}: claim recorded later: {1}", new Object[] {id, e});
      throw e;
    }
    metrics.submitted(NetworkMode.LEDGER);
    return store.view(id, true);
  }

  /**
   * What {@link #submit} would refuse in a request typed so far, without storing or claiming
   * anything: the wizard asks it as each step is left, so that a step is refused by the rules of
   * submitting. Unlike a submission it goes on past broken rules: each check whose fields are valid
   * is made, so a taken name or a full quota shows before the last step is filled in.
   *
   * @param fields each broken rule by the API's field name, as a submission would report it
   * @param quota the quota refusal, or null when the request fits (or its size is not valid yet)
   */
  public record Check(Map<String, String> fields, String quota) {

    public boolean passes() {
      return fields.isEmpty() && quota == null;
    }
  }

  /**
   * @param earlier problems found while reading the input (such as a size that is not a number)
   */
  public Check check(RequestDraft draft, Map<String, String> earlier, Account owner) {
    Map<String, String> fields = new java.util.LinkedHashMap<>();
    try {
      new RequestValidator(settings.policy(), templates::activeSpec).check(draft, earlier);
    } catch (InvalidInput e) {
      fields.putAll(e.fields());
    }
    if (!fields.containsKey("name") && draft.name() != null) {
      fieldRule(fields, "name", () -> store.checkName(draft.name()));
    }
    if (!fields.containsKey("network.host") && "ledger".equals(draft.networkMode())) {
      fieldRule(
          fields,
          "network.host",
          () -> {
            checkEntry(draft.host());
            store.checkHeld(draft.host());
          });
    }
    String quota = null;
    if (draft.cores() != null
        && draft.memoryMiB() != null
        && draft.diskGiB() != null
        && !fields.containsKey("cores")
        && !fields.containsKey("memoryMiB")
        && !fields.containsKey("diskGiB")) {
      try {
        store.checkQuota(
            owner.username(),
            draft.cores().intValue(),
            draft.memoryMiB().intValue(),
            draft.diskGiB().intValue());
      } catch (QuotaExceeded e) {
        quota = e.getMessage();
      }
    }
    return new Check(Map.copyOf(fields), quota);
  }

  private static void fieldRule(Map<String, String> fields, String field, Runnable check) {
    try {
      check.run();
    } catch (InvalidInput e) {
      fields.putAll(e.fields());
    } catch (Refusal e) {
      fields.put(
          e.field() == null ? field : e.field(), e.field() == null ? e.getMessage() : e.rule());
    }
  }

  /** The entry must exist and be free in the ledger's index: clear errors before any write. */
  private void checkEntry(String host) {
    Optional<LedgerQueries.Entry> entry = entries.entry(host);
    if (entry.isEmpty()) {
      boolean retired = !entries.history(host).isEmpty();
      throw new InvalidInput(
          "network.host",
          retired
              ? host + " was retired from the ledger; choose a free entry"
              : "the ledger has no entry " + host + "; choose a free entry");
    }
    if (entry.get().holder() != null) {
      throw new AddressTaken(
          "network.host",
          host
              + " is taken by "
              + entry.get().holder()
              + (entry.get().claimedOn() == null ? "" : " since " + entry.get().claimedOn())
              + "; choose a free entry");
    }
  }

  /** Adds a line to a request's audit trail that changes nothing ("opened the console"). */
  public void note(long id, String actor, String what) {
    store.note(id, actor, what);
  }

  /**
   * The request holding the ledger entry {@code host}, when the caller may see it (its owner or an
   * admin); empty when no request holds it or it is someone else's.
   */
  public Optional<RequestView> holding(String host, Account caller) {
    return store
        .holderOf(host)
        .flatMap(
            id -> {
              try {
                return Optional.of(find(id, caller));
              } catch (UnknownRequest e) {
                return Optional.empty();
              }
            });
  }

  /** A request the caller may see. */
  public RequestView find(long id, Account caller) {
    RequestView r = store.view(id, true);
    if (!caller.isAdmin() && !r.owner().equals(caller.username())) {
      throw new UnknownRequest(id);
    }
    return r;
  }

  /** Approves a waiting request (admins). {@code version} is the one the admin saw, or -1. */
  public RequestView approve(long id, long version, Account admin) {
    requireAdmin(admin);
    return store.approve(id, version, admin);
  }

  /** Approves several; each in its own transaction. Returns the refusals by id. */
  public Map<Long, String> approveAll(List<Long> ids, Account admin) {
    requireAdmin(admin);
    Map<Long, String> refused = new LinkedHashMap<>();
    for (long id : ids) {
      try {
        store.approve(id, -1, admin);
      } catch (Refusal e) {
        refused.put(id, e.getMessage());
      }
    }
    return refused;
  }

  /** Rejects a waiting request with a reason (admins); its entry is released. */
  public RequestView reject(long id, long version, String reason, Account admin) {
    requireAdmin(admin);
    if (reason == null || reason.isBlank()) {
      throw new InvalidInput("reason", "must say why the request is rejected");
    }
    checkReason(reason);
    return store.reject(id, version, reason.strip(), admin);
  }

  /**
   * Withdraws a request: cancels one that has no guest, deletes the guest of one that has. The
   * owner or an admin may.
   */
  public RequestView withdraw(long id, long version, String reason, Account caller) {
    find(id, caller);
    if (reason != null) {
      checkReason(reason);
    }
    return store.withdraw(id, version, reason, caller);
  }

  /** A reason reaches the audit trail and mail: at most 500 characters on one line. */
  private static void checkReason(String reason) {
    String problem = RequestValidator.freeTextProblem(reason.strip(), 500);
    if (problem != null) {
      throw new InvalidInput("reason", problem);
    }
  }

  /** Extends a lease by {@code days}, within the maximum lease. The owner or an admin may. */
  public RequestView extend(long id, long version, int days, Account caller) {
    find(id, caller);
    return store.extend(id, version, days, caller);
  }

  /** Tries a failed request again. The owner or an admin may. */
  public RequestView retry(long id, long version, Account caller) {
    find(id, caller);
    return store.retry(id, version, caller);
  }

  private static void requireAdmin(Account caller) {
    if (!caller.isAdmin()) {
      throw new NotAllowed("Only admins approve or reject requests");
    }
  }

  /** The caller's requests, or everyone's for an admin who asks for all. */
  public RequestQueries.Page list(
      RequestQueries.Filter filter, Account caller, int offset, int limit) {
    RequestQueries.Filter scoped = caller.isAdmin() ? filter : filter.ownedBy(caller.username());
    return queries.page(scoped, offset, limit);
  }
}
