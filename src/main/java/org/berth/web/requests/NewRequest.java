package org.berth.web.requests;

import jakarta.faces.component.UIComponent;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.berth.identity.Account;
import org.berth.identity.CurrentUser;
import org.berth.identity.SshKeys;
import org.berth.identity.SshPublicKey;
import org.berth.ledger.boundary.LedgerQueries;
import org.berth.platform.refusal.InvalidInput;
import org.berth.platform.refusal.Refusal;
import org.berth.requests.boundary.RequestSettings;
import org.berth.requests.boundary.RequestView;
import org.berth.requests.boundary.Requests;
import org.berth.requests.boundary.TemplateView;
import org.berth.requests.boundary.Templates;
import org.berth.requests.control.RequestDraft;
import org.berth.requests.entity.RequestState;
import org.berth.requests.entity.TemplateSpec;
import org.berth.web.Messages;
import org.berth.web.ledger.LedgerEntries;
import org.primefaces.component.datatable.DataTable;
import org.primefaces.model.FilterMeta;
import org.primefaces.model.LazyDataModel;

/**
 * Backs {@code requests/new.xhtml}: a request in six steps (kind and template, size, network, SSH
 * keys, lease and purpose, review). The steps only collect what the person types; the rules are
 * checked once, on the server, when the request is submitted. A refusal puts each broken rule
 * beside its input and goes back to the first step that has one.
 */
@Named
@ViewScoped
public class NewRequest implements Serializable {
  private static final long serialVersionUID = 1L;

  static final int STEPS = 6;
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
  @Inject RequestSettings settings;
  @Inject LedgerQueries ledger;
  @Inject SshKeys sshKeys;
  @Inject CurrentUser currentUser;

  private int step = 1;
  private int furthest = 1;
  private String kind = "vm";
  private String template;
  private String name;
  private String cores;
  private String memory;
  private String disk;
  private String sizedFor;
  private boolean nat;
  private String httpPort;
  private String entryFilter;
  private String host;
  private List<String> chosenKeys = new ArrayList<>();
  private String newKeys;
  private boolean saveKeys;
  private String leaseDays;
  private String purpose;

  /** The rules the last submission broke, by input id; shown when their step is. */
  private final Map<String, List<String>> problems = new LinkedHashMap<>();

  private transient List<TemplateView> activeTemplates;
  private transient List<SshKeys.Saved> savedKeys;
  private transient LedgerQueries.Entry entry;
  private final LazyDataModel<LedgerQueries.Entry> freeEntries = new FreeEntries();

  /** One step of the wizard as the step list shows it. */
  public record Step(int number, String label, boolean current, boolean reachable, boolean wrong) {}

  /** A key the request would carry, and where the person gave it. */
  record KeyLine(String line, String input, String where) {}

  public void load() {
    leaseDays = String.valueOf(settings.policy().leaseDefaultDays());
  }

  // Moving between steps. Each submits the inputs of the step shown, and checks nothing.

  public void next() {
    if (step == 1) {
      fillSizes();
    }
    forgetProblemsOf(step);
    step = Math.min(STEPS, step + 1);
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

  public void goTo(int target) {
    if (step == 1) {
      fillSizes();
    }
    if (target >= 1 && target <= furthest) {
      step = target;
    }
    showProblems();
  }

  /** The chosen template's sizes, unless the sizes were filled in for this template already. */
  private void fillSizes() {
    chosenTemplate()
        .map(TemplateView::spec)
        .filter(spec -> !spec.name().equals(sizedFor))
        .ifPresent(
            spec -> {
              cores = String.valueOf(spec.defaultCores());
              memory = String.valueOf(spec.defaultMemoryMib());
              disk = String.valueOf(spec.defaultDiskGib());
              sizedFor = spec.name();
            });
  }

  /** A template of the other kind is no choice any more. */
  public void kindChanged() {
    if (template != null && getTemplates().stream().noneMatch(t -> t.name().equals(template))) {
      template = null;
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
    Map<String, String> earlier = new LinkedHashMap<>();
    List<KeyLine> keys = keyLines();
    RequestDraft draft =
        new RequestDraft(
            kind,
            name == null ? null : name.strip(),
            template,
            number("cores", cores, earlier),
            number("memoryMiB", memory, earlier),
            number("diskGiB", disk, earlier),
            nat ? "nat" : "ledger",
            nat ? null : host,
            nat ? number("network.httpPort", httpPort, earlier) : null,
            keys.stream().map(KeyLine::line).toList(),
            number("leaseDays", leaseDays, earlier),
            purpose);
    try {
      RequestView created = requests.submit(draft, earlier, me);
      problems.clear();
      Messages.info(
          created.state() == RequestState.SUBMITTED
              ? "request.submitted.waiting"
              : "request.submitted.approved",
          created.name());
      if (saveKeys) {
        savePastedKeys(me, keys, created.name());
      }
      Messages.keepForRedirect();
      return "/requests/view?faces-redirect=true&id=" + created.id();
    } catch (InvalidInput e) {
      problems.clear();
      List<String> elsewhere = new ArrayList<>();
      for (Map.Entry<String, String> field : e.fields().entrySet()) {
        if (!place(field.getKey(), field.getValue(), keys)) {
          elsewhere.add(field.getKey() + ": " + field.getValue());
        }
      }
      Messages.error(Messages.text("request.invalid", e.fields().size()));
      elsewhere.forEach(Messages::error);
      step = problems.keySet().stream().mapToInt(STEP_OF::get).min().orElse(step);
      showProblems();
      return null;
    } catch (Refusal e) {
      // A taken name or entry (409) names its field: show it there, as a broken rule would be.
      if (e.field() != null && INPUTS.containsKey(e.field())) {
        problems.clear();
        place(e.field(), e.rule(), keys);
        Messages.error(e.rule());
        step = STEP_OF.get(INPUTS.get(e.field()));
        showProblems();
        return null;
      }
      Messages.error(e.getMessage());
      return null;
    }
  }

  /** Files a broken rule under the input that shows it; false if no input does. */
  private boolean place(String field, String rule, List<KeyLine> keys) {
    Matcher key = KEY_FIELD.matcher(field);
    if (key.matches()) {
      int i = Integer.parseInt(key.group(1));
      if (i < keys.size()) {
        KeyLine k = keys.get(i);
        remember(k.input(), k.where() + ": " + rule);
      } else {
        remember("newKeys", rule);
      }
      return true;
    }
    String input = INPUTS.get(field);
    if (input == null) {
      return false;
    }
    remember(input, rule);
    return true;
  }

  private void remember(String input, String rule) {
    problems.computeIfAbsent(input, k -> new ArrayList<>()).add(rule);
  }

  private void forgetProblemsOf(int number) {
    problems.keySet().removeIf(input -> STEP_OF.get(input) == number);
  }

  /** Puts the remembered problems of the step shown beside their inputs. */
  private void showProblems() {
    problems.forEach(
        (input, rules) -> {
          if (STEP_OF.get(input) == step) {
            rules.forEach(rule -> Messages.field(FORM + ":" + input, rule));
          }
        });
  }

  private static Long number(String field, String text, Map<String, String> earlier) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Long.valueOf(text.strip());
    } catch (NumberFormatException e) {
      earlier.put(field, Messages.text("request.notANumber"));
      return null;
    }
  }

  /** The chosen saved keys, then the pasted lines, in the order the request lists them. */
  List<KeyLine> keyLines() {
    List<KeyLine> lines = new ArrayList<>();
    for (SshKeys.Saved saved : getSavedKeys()) {
      if (chosenKeys.contains(saved.publicKey())) {
        lines.add(new KeyLine(saved.publicKey(), "keys", saved.label()));
      }
    }
    for (String line : chosenKeys) {
      if (getSavedKeys().stream().noneMatch(s -> s.publicKey().equals(line))) {
        lines.add(new KeyLine(line, "keys", Messages.text("request.keys.removed")));
      }
    }
    if (newKeys != null) {
      String[] pasted = newKeys.split("\\R");
      for (int i = 0; i < pasted.length; i++) {
        if (!pasted[i].isBlank()) {
          lines.add(
              new KeyLine(pasted[i].strip(), "newKeys", Messages.text("request.keys.line", i + 1)));
        }
      }
    }
    return lines;
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
      } catch (InvalidInput e) {
        if (!e.fields().getOrDefault("key", "").startsWith("is already in your profile")) {
          Messages.warn("request.keys.notSaved", String.join("; ", e.fields().values()));
        }
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
      boolean wrong = problems.keySet().stream().anyMatch(input -> STEP_OF.get(input) == number);
      steps.add(
          new Step(
              n, Messages.text("request.step." + n), n == step, n <= furthest && n != step, wrong));
    }
    return steps;
  }

  /** The active templates of the chosen kind. */
  public List<TemplateView> getTemplates() {
    if (activeTemplates == null) {
      activeTemplates = templates.active();
    }
    return activeTemplates.stream().filter(t -> t.spec().kind().apiName().equals(kind)).toList();
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
    return getTemplates().stream().filter(t -> t.name().equals(template)).findFirst();
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
    return keyLines().stream()
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
    if (entry == null && host != null) {
      entry = ledger.entry(host).orElse(null);
    }
    return entry;
  }

  public void setEntry(LedgerQueries.Entry entry) {
    this.entry = entry;
    this.host = entry == null ? null : entry.host();
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

  public int getStep() {
    return step;
  }

  public String getKind() {
    return kind;
  }

  public void setKind(String kind) {
    this.kind = kind;
  }

  public String getTemplate() {
    return template;
  }

  public void setTemplate(String template) {
    this.template = template;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getCores() {
    return cores;
  }

  public void setCores(String cores) {
    this.cores = cores;
  }

  public String getMemory() {
    return memory;
  }

  public void setMemory(String memory) {
    this.memory = memory;
  }

  public String getDisk() {
    return disk;
  }

  public void setDisk(String disk) {
    this.disk = disk;
  }

  public boolean isNat() {
    return nat;
  }

  public void setNat(boolean nat) {
    this.nat = nat;
  }

  public String getHttpPort() {
    return httpPort;
  }

  public void setHttpPort(String httpPort) {
    this.httpPort = httpPort;
  }

  public String getEntryFilter() {
    return entryFilter;
  }

  public void setEntryFilter(String entryFilter) {
    this.entryFilter = entryFilter;
  }

  public String getHost() {
    return host;
  }

  public List<String> getChosenKeys() {
    return chosenKeys;
  }

  public void setChosenKeys(List<String> chosenKeys) {
    this.chosenKeys = chosenKeys == null ? new ArrayList<>() : new ArrayList<>(chosenKeys);
  }

  public String getNewKeys() {
    return newKeys;
  }

  public void setNewKeys(String newKeys) {
    this.newKeys = newKeys;
  }

  public boolean isSaveKeys() {
    return saveKeys;
  }

  public void setSaveKeys(boolean saveKeys) {
    this.saveKeys = saveKeys;
  }

  public String getLeaseDays() {
    return leaseDays;
  }

  public void setLeaseDays(String leaseDays) {
    this.leaseDays = leaseDays;
  }

  public String getPurpose() {
    return purpose;
  }

  public void setPurpose(String purpose) {
    this.purpose = purpose;
  }
}
