package org.berth.web.admin;

import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.berth.notify.Outbox;
import org.primefaces.model.FilterMeta;
import org.primefaces.model.LazyDataModel;
import org.primefaces.model.SortMeta;

/**
 * Backs {@code admin/outbox.xhtml}: the mail Berth has written, newest first, and whether it is
 * sent at all (without SMTP settings it stays in the outbox, as in the demo).
 */
@Named
@ViewScoped
public class MailOutbox implements Serializable {
  private static final long serialVersionUID = 1L;

  @Inject Outbox outbox;

  private final LazyDataModel<Outbox.Mail> mails = new Mails();

  public LazyDataModel<Outbox.Mail> getMails() {
    return mails;
  }

  /** Whether an SMTP server is configured; without one mail only waits here. */
  public boolean isDelivers() {
    return outbox.settings().delivers();
  }

  public String getSmtpHost() {
    return outbox.settings().smtpHost().orElse("");
  }

  private final class Mails extends LazyDataModel<Outbox.Mail> {
    private static final long serialVersionUID = 1L;

    @Override
    public int count(Map<String, FilterMeta> filterBy) {
      return (int) outbox.count();
    }

    @Override
    public List<Outbox.Mail> load(
        int first, int pageSize, Map<String, SortMeta> sortBy, Map<String, FilterMeta> filterBy) {
      return outbox.recent(first, pageSize);
    }

    @Override
    public String getRowKey(Outbox.Mail mail) {
      return String.valueOf(mail.id());
    }

    @Override
    public Outbox.Mail getRowData(String rowKey) {
      List<Outbox.Mail> rows = getWrappedData();
      return rows == null
          ? null
          : rows.stream().filter(m -> rowKey.equals(getRowKey(m))).findFirst().orElse(null);
    }
  }
}
