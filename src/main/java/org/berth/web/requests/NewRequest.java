package org.berth.web.requests;

import jakarta.faces.component.UIComponent;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.berth.identity.Account;
import org.berth.identity.CurrentUser;
import org.berth.identity.KeyAlreadySaved;
import org.berth.identity.SshKeys;
import org.berth.identity.SshPublicKey;
import org.berth.ledger.boundary.LedgerQueries;
import org.berth.platform.refusal.InvalidInput;
import org.berth.platform.refusal.Refusal;
import org.berth.requests.boundary.Quotas;
import org.berth.requests.boundary.RequestSettings;
import org.berth.requests.boundary.RequestView;
import org.berth.requests.boundary.Requests;
import org.berth.requests.boundary.TemplateView;
import org.berth.requests.boundary.Templates;
import org.berth.requests.control.RequestDraft;
import org.berth.requests.entity.RequestState;
import org.berth.requests.entity.TemplateSpec;
import org.berth.web.FieldProblems;
import org.berth.web.Messages;
import org.berth.web.ledger.LedgerEntries;
import org.berth.web.requests.RequestInputs.KeyLine;
import org.primefaces.component.datatable.DataTable;
import org.primefaces.model.FilterMeta;
import org.primefaces.model.LazyDataModel;

/**
 * Backs {@code requests/new.xhtml}: a request in six steps (kind and template, size, network, SSH
 * keys, lease and purpose, review). Leaving a step checks what is typed so far by the same rules as
 * submitting, on the server; the size step says at once whether the size fits the quota and whether
 * an admin must approve it. A refusal puts each broken rule beside its input and goes back to the
 * first step that has one.
 */
@Named
@ViewScoped
public class NewRequest implements Serializable {
  private static final long serialVersionUID = 1L;

  static final int STEPS = 6;
  static final int SIZE_STEP = 2;
  static final String FORM = "wizard";

  /** The API's field names, as the boundary reports them, and the inputs that show them. */
  static final Map<String, String> INPUTS =
      Map.ofEntries(
          Map.entry("kind", "kind"),
          Map.entry("template", "template"),
          Map.entry("name", "name"),
          Map.entry("cores", "cores"),
          Map.entry("memoryMiB", "memory"),
          Map.entry("diskGiB", "disk"),
          Map.entry("network.mode", "nat"),
          Map.entry("network.host", "entries"),
          Map.entry("network.httpPort", "httpPort"),
          Map.entry("sshKeys", "newKeys"),
          Map.entry("leaseDays", "leaseDays"),
          Map.entry("purpose", "purpose"));

  /** The step each input is on. */
  static final Map<String, Integer> STEP_OF =
      Map.ofEntries(
          Map.entry("kind", 1),
          Map.entry("template", 1),
          Map.entry("name", 1),
          Map.entry("cores", 2),
          Map.entry("memory", 2),
          Map.entry("disk", 2),
          Map.entry("nat", 3),
          Map.entry("entries", 3),
          Map.entry("httpPort", 3),
          Map.entry("keys", 4),
          Map.entry("newKeys", 4),
          Map.entry("leaseDays", 5),
          Map.entry("purpose", 5));

  private static final Pattern KEY_FIELD = Pattern.compile("sshKeys\\[(\\d+)\\]");

  @Inject Requests requests;
  @Inject Templates templates;
  @Inject Quotas quotas;
  @Inject RequestSettings settings;
  @Inject LedgerQueries ledger;
  @Inject SshKeys sshKeys;
  @Inject CurrentUser currentUser;

  private int step = 1;
  private int furthest = 1;
  private String entryFilter;
  private final RequestInputs form = new RequestInputs();

  /** The rules the last submission broke, by input id; shown when their step is. */
  private final FieldProblems problems = new FieldProblems();

  private transient List<TemplateView> activeTemplates;
  private transient List<SshKeys.Saved> savedKeys;
  private transient LedgerQueries.Entry entry;
  private final LazyDataModel<LedgerQueries.Entry> freeEntries = new FreeEntries();

  /** One step of the wizard as the step list shows it. */
  public record Step(int number, String label, boolean current, boolean reachable, boolean wrong) {}

  public void load() {
    form.setLeaseDays(String.valueOf(settings.policy().leaseDefaultDays()));
    // "Request a guest here" on a free ledger entry: the wizard starts with it chosen. An entry
    // taken meanwhile (or unknown) is not chosen; the network step offers the free ones.
    if (preselected != null && preselected.length() <= 253) {
      ledger
          .entry(preselected)
          .filter(e -> "free".equals(e.state()))
          .ifPresent(
              e -> {
                form.setNat(false);
                setEntry(e);
              });
    }
  }

  private String preselected;

  /** The ledger entry named in the page's {@code host} parameter, to start with. */
  public String getPreselected() {
    return preselected;
  }

  public void setPreselected(String preselected) {
    this.preselected = preselected;
  }

  // Moving between steps. Leaving a step forward checks it, and every step before it, by the rules
  // of submitting; the wizard stays on the first step that breaks one and shows it there.

  public void next() {
    if (step == 1) {
      fillSizes();
    }
    int wrong = check(step);
    step = wrong <= step ? wrong : Math.min(STEPS, step + 1);
    furthest = Math.max(furthest, step);
    showProblems();
  }

  public void back() {
    if (step == 1) {
      fillSizes();
    }
    step = Math.max(1, step - 1);
    showProblems();
  }

  /**
   * Goes to a step: back at once, forward as far as the steps before {@code target} are valid (to
   * the first one that is not, with its rules shown).
   */
  public void goTo(int target) {
    if (step == 1) {
      fillSizes();
    }
    if (target < 1 || target > STEPS) {
      return;
    }
    step = target <= step ? target : Math.min(target, check(target - 1));
    furthest = Math.max(furthest, step);
    showProblems();
  }

  /**
   * Checks the request as typed so far by the rules of submitting and keeps the rules it breaks on
   * the steps up to {@code upTo}, forgetting those that were fixed; the quota counts from the size
   * step on.
   *
   * @return the first step that breaks a rule, or {@code STEPS + 1}
   */
  private int check(int upTo) {
    Account me = currentUser.account().orElseThrow();
    List<KeyLine> keys = form.keyLines(getSavedKeys());
    problems.clear();
    RequestDraft draft = form.draft(keys, problems);
    Requests.Check check = requests.check(draft, problems.notNumbers(), me);
    Map<String, String> broken = new java.util.LinkedHashMap<>(check.fields());
    broken.putAll(problems.notNumbers());
    if (!broken.isEmpty()) {
      problems.file(new InvalidInput(broken), (field, rule) -> place(field, rule, keys));
    }
    problems.forget(input -> STEP_OF.get(input) > upTo);
    int first = problems.byInput().keySet().stream().mapToInt(STEP_OF::get).min().orElse(STEPS + 1);
    if (check.quota() != null && upTo >= SIZE_STEP && first > SIZE_STEP) {
      Messages.error(check.quota());
      return SIZE_STEP;
    }
    return first;
  }

  /** The chosen template's sizes, unless the sizes were filled in for this template already. */
  private void fillSizes() {
    chosenTemplate().map(TemplateView::spec).ifPresent(form::sizeFor);
  }

  /** A template of the other kind is no choice any more. */
  public void kindChanged() {
    String template = form.getTemplate();
    if (template != null && getTemplates().stream().noneMatch(t -> t.name().equals(template))) {
      form.setTemplate(null);
    }
  }

  /** A new filter text starts the table at its first page. */
  public void entryFilterChanged() {
    UIComponent table =
        FacesContext.getCurrentInstance().getViewRoot().findComponent(FORM + ":entries");
    if (table instanceof DataTable data) {
      data.setFirst(0);
    }
  }

  // Submitting.

  /** Submits the request; on success shows it, otherwise shows what to fix where. */
  public String submit() {
    Account me = currentUser.account().orElseThrow();
    List<KeyLine> keys = form.keyLines(getSavedKeys());
    problems.clear();
    try {
      RequestDraft draft = form.draft(keys, problems);
      RequestView created = requests.submit(draft, problems.notNumbers(), me);
      problems.clear();
      Messages.info(
          created.state() == RequestState.SUBMITTED
              ? "request.submitted.waiting"
              : "request.submitted.approved",
          created.name());
      if (form.isSaveKeys()) {
        savePastedKeys(me, keys, created.name());
      }
      Messages.keepForRedirect();
      return "/requests/view?faces-redirect=true&id=" + created.id();
    } catch (InvalidInput e) {
      problems.file(e, (field, rule) -> place(field, rule, keys));
      Messages.error(Messages.text("request.invalid", e.fields().size()));
      problems.elsewhere().forEach(Messages::error);
    } catch (Refusal e) {
      // A taken name or entry names its field: shown there, as a broken rule would be.
      problems.file(e, (field, rule) -> place(field, rule, keys));
      Messages.error(problems.byInput().isEmpty() ? e.getMessage() : e.rule());
    }
    step = problems.byInput().keySet().stream().mapToInt(STEP_OF::get).min().orElse(step);
    showProblems();
    return null;
  }

  /** The input that shows a field's rule: a key's rule beside the key, said which one. */
  private static Optional<FieldProblems.Placed> place(
      String field, String rule, List<KeyLine> keys) {
    Matcher key = KEY_FIELD.matcher(field);
    if (key.matches()) {
      int i = Integer.parseInt(key.group(1));
      if (i < keys.size()) {
        KeyLine k = keys.get(i);
        return Optional.of(new FieldProblems.Placed(k.input(), k.where() + ": " + rule));
      }
      return Optional.of(new FieldProblems.Placed("newKeys", rule));
    }
    return Optional.ofNullable(INPUTS.get(field))
        .map(input -> new FieldProblems.Placed(input, rule));
  }

  /** Puts the remembered problems of the step shown beside their inputs. */
  private void showProblems() {
    problems.show(FORM, input -> STEP_OF.get(input) == step);
  }

  /** Keeps the pasted keys in the profile; one kept already is left as it is. */
  private void savePastedKeys(Account me, List<KeyLine> keys, String guest) {
    int saved = 0;
    for (KeyLine k : keys) {
      if (!k.input().equals("newKeys")
          || getSavedKeys().stream().anyMatch(s -> s.publicKey().equals(k.line()))) {
        continue;
      }
      String comment = SshPublicKey.parse(k.line()).comment();
      String label =
          comment.isEmpty() || comment.length() > 100
              ? Messages.text("request.keys.savedLabel", guest)
              : comment;
      try {
        sshKeys.add(me.username(), label, k.line());
        saved++;
      } catch (KeyAlreadySaved e) {
        // the same key under another comment: the profile has it
      } catch (InvalidInput e) {
        Messages.warn("request.keys.notSaved", String.join("; ", e.fields().values()));
      }
    }
    if (saved > 0) {
      Messages.info("request.keys.saved", saved);
    }
  }

  // What the page shows.

  public List<Step> getSteps() {
    List<Step> steps = new ArrayList<>();
    for (int n = 1; n <= STEPS; n++) {
      int number = n;
      boolean wrong =
          problems.byInput().keySet().stream().anyMatch(input -> STEP_OF.get(input) == number);
      steps.add(new Step(n, Messages.text("request.step." + n), n == step, n != step, wrong));
    }
    return steps;
  }

  /** The active templates of the chosen kind. */
  public List<TemplateView> getTemplates() {
    if (activeTemplates == null) {
      activeTemplates = templates.active();
    }
    return activeTemplates.stream()
        .filter(t -> t.spec().kind().apiName().equals(form.getKind()))
        .toList();
  }

  public String templateLabel(TemplateView t) {
    TemplateSpec s = t.spec();
    return Messages.text(
        "request.template.item",
        t.label(),
        s.defaultCores(),
        s.maxCores(),
        s.defaultMemoryMib(),
        s.maxMemoryMib(),
        s.defaultDiskGib(),
        s.maxDiskGib());
  }

  private Optional<TemplateView> chosenTemplate() {
    return getTemplates().stream().filter(t -> t.name().equals(form.getTemplate())).findFirst();
  }

  /** The chosen template's settings, or null. */
  public TemplateSpec getSpec() {
    return chosenTemplate().map(TemplateView::spec).orElse(null);
  }

  public List<SshKeys.Saved> getSavedKeys() {
    if (savedKeys == null) {
      savedKeys = currentUser.account().map(a -> sshKeys.of(a.username())).orElse(List.of());
    }
    return savedKeys;
  }

  /** The keys as the review shows them: type, fingerprint and comment, or the line as given. */
  public List<String> getReviewKeys() {
    return form.keyLines(getSavedKeys()).stream()
        .map(
            k -> {
              try {
                return SshPublicKey.parse(k.line()).toString();
              } catch (IllegalArgumentException e) {
                return k.line().length() > 60 ? k.line().substring(0, 60) + "…" : k.line();
              }
            })
        .toList();
  }

  /**
   * What the size typed means, for the size step: the quota refusal it would meet, and why an admin
   * must approve it (each auto-approval limit it passes, with the lease chosen or the default).
   * Null while a size is not a number.
   */
  public SizeVerdict getSizeVerdict() {
    // Read once per request: the page asks several times while it renders.
    Map<Object, Object> request = FacesContext.getCurrentInstance().getAttributes();
    if (!request.containsKey(SIZE_VERDICT)) {
      request.put(SIZE_VERDICT, sizeVerdict());
    }
    return (SizeVerdict) request.get(SIZE_VERDICT);
  }

  private static final String SIZE_VERDICT = "berth.wizard.sizeVerdict";

  private SizeVerdict sizeVerdict() {
    Integer cores = whole(form.getCores());
    Integer memory = whole(form.getMemory());
    Integer disk = whole(form.getDisk());
    if (cores == null || memory == null || disk == null) {
      return null;
    }
    Integer lease = whole(form.getLeaseDays());
    String over = null;
    Optional<Account> me = currentUser.account();
    if (me.isPresent()) {
      Quotas.Standing standing = quotas.standing(me.get().username());
      over = standing.limits().exceededBy(standing.used(), cores, memory, disk);
    }
    return new SizeVerdict(
        over,
        String.join(
            "; ",
            settings
                .policy()
                .autoApprove()
                .beyond(
                    cores,
                    memory,
                    disk,
                    lease == null ? settings.policy().leaseDefaultDays() : lease)));
  }

  /** See {@link #getSizeVerdict()}; {@code needsApproval} is empty when none is needed. */
  public record SizeVerdict(String overQuota, String needsApproval) {}

  private static Integer whole(String text) {
    if (text == null || !text.strip().matches("\\d{1,9}")) {
      return null;
    }
    return Integer.valueOf(text.strip());
  }

  public int getLeaseMaxDays() {
    return settings.policy().leaseMaxDays();
  }

  public int getLeaseDefaultDays() {
    return settings.policy().leaseDefaultDays();
  }

  public LazyDataModel<LedgerQueries.Entry> getFreeEntries() {
    return freeEntries;
  }

  /** The chosen ledger entry, or null. */
  public LedgerQueries.Entry getEntry() {
    if (entry == null && form.getHost() != null) {
      entry = ledger.entry(form.getHost()).orElse(null);
    }
    return entry;
  }

  public void setEntry(LedgerQueries.Entry entry) {
    this.entry = entry;
    form.setHost(entry == null ? null : entry.host());
  }

  /** The free ledger entries that match the filter text, paged in the database. */
  private final class FreeEntries extends LedgerEntries {
    private static final long serialVersionUID = 1L;

    @Override
    protected LedgerQueries queries() {
      return ledger;
    }

    @Override
    protected LedgerQueries.Filter filter(Map<String, FilterMeta> filterBy) {
      String q = entryFilter == null || entryFilter.isBlank() ? null : entryFilter.strip();
      return new LedgerQueries.Filter("free", q, null, null, null, null);
    }
  }

  // Inputs.

  /** What has been typed, bound by the page's inputs. */
  public RequestInputs getForm() {
    return form;
  }

  public int getStep() {
    return step;
  }

  public String getEntryFilter() {
    return entryFilter;
  }

  public void setEntryFilter(String entryFilter) {
    this.entryFilter = entryFilter;
  }
}
