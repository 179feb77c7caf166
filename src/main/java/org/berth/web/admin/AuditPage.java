package org.berth.web.admin;

import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.berth.requests.boundary.AuditTrail;
import org.berth.web.Messages;
import org.primefaces.model.FilterMeta;
import org.primefaces.model.LazyDataModel;
import org.primefaces.model.SortMeta;

/**
 * Backs {@code admin/audit.xhtml}: the audit trail across all requests, newest first, filtered by
 * who, by words and by days, paged in the database, and the same as CSV.
 */
@Named
@ViewScoped
public class AuditPage implements Serializable {
  private static final long serialVersionUID = 1L;

  @Inject AuditTrail trail;

  private String actor;
  private String words;
  private String from;
  private String to;
  private final Lines lines = new Lines();

  /** Applies the filter typed; a date that is none is said beside it. */
  public void apply() {
    for (String[] date : new String[][] {{"from", from}, {"to", to}}) {
      try {
        AuditTrail.Filter.day(date[1], 0);
      } catch (DateTimeParseException e) {
        Messages.field("audit:" + date[0], Messages.text("audit.notADate"));
      }
    }
  }

  private AuditTrail.Filter filter() {
    try {
      return AuditTrail.Filter.ofDays(actor, words, from, to);
    } catch (DateTimeParseException e) {
      return new AuditTrail.Filter(actor, words, null, null);
    }
  }

  /** The CSV of what the filter shows. */
  public String getCsvLink() {
    List<String> query = new ArrayList<>();
    for (String[] p :
        new String[][] {{"actor", actor}, {"words", words}, {"from", from}, {"to", to}}) {
      if (p[1] != null && !p[1].isBlank()) {
        query.add(p[0] + "=" + URLEncoder.encode(p[1].strip(), StandardCharsets.UTF_8));
      }
    }
    return "audit.csv" + (query.isEmpty() ? "" : "?" + String.join("&", query));
  }

  public List<String> getActors() {
    return trail.actors();
  }

  public LazyDataModel<AuditTrail.Line> getLines() {
    return lines;
  }

  private final class Lines extends LazyDataModel<AuditTrail.Line> {
    private static final long serialVersionUID = 1L;

    @Override
    public int count(Map<String, FilterMeta> filterBy) {
      return (int) Math.min(Integer.MAX_VALUE, trail.page(filter(), 0, 1).total());
    }

    @Override
    public List<AuditTrail.Line> load(
        int first, int pageSize, Map<String, SortMeta> sortBy, Map<String, FilterMeta> filterBy) {
      return trail.page(filter(), first, pageSize).lines();
    }

    @Override
    public String getRowKey(AuditTrail.Line line) {
      return line.requestId() + "@" + line.at().toEpochMilli() + "@" + line.actor();
    }
  }

  public String getActor() {
    return actor;
  }

  public void setActor(String actor) {
    this.actor = actor;
  }

  public String getWords() {
    return words;
  }

  public void setWords(String words) {
    this.words = words;
  }

  public String getFrom() {
    return from;
  }

  public void setFrom(String from) {
    this.from = from;
  }

  public String getTo() {
    return to;
  }

  public void setTo(String to) {
    this.to = to;
  }
}
