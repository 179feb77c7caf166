package org.berth.web.admin;

import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.berth.identity.CurrentUser;
import org.berth.ledger.boundary.Ledger;
import org.berth.ledger.boundary.LedgerQueries;
import org.berth.ledger.boundary.LedgerSettings;
import org.berth.ledger.control.AddressBatch;
import org.berth.ledger.control.EntryInUse;
import org.berth.ledger.control.InvalidBatchSpec;
import org.berth.ledger.control.LedgerFile;
import org.berth.ledger.control.LedgerWriter;
import org.berth.platform.refusal.Refusal;

/**
 * Backs {@code admin/ledger.xhtml}: the ledger's state and problems, sync now, generating a batch
 * of entries (preview, then one commit), retiring an entry, and claims or releases for someone.
 */
@Named
@ViewScoped
public class LedgerAdmin implements Serializable {
  private static final long serialVersionUID = 1L;

  @Inject Ledger ledger;
  @Inject LedgerQueries queries;
  @Inject CurrentUser currentUser;

  private LedgerQueries.State state;
  private String ipv4;
  private String ipv6Prefix;
  private String macStart;
  private String hostPattern = "pvm{n:03}.example.com";
  private int firstNumber = 1;
  private String file;
  private transient Ledger.BatchPreview preview;
  private String host;
  private String holder;
  private Long heldBy;

  public LedgerQueries.State getState() {
    if (state == null) {
      state = queries.state();
    }
    return state;
  }

  public String getRemote() {
    return ledger.settings().map(LedgerSettings::safeRemote).orElse("");
  }

  public String getLastError() {
    return ledger.lastError().orElse(getState().lastSyncError());
  }

  public void sync() {
    run(
        () -> {
          ledger.sync();
          info("Fetched the ledger remote.");
        });
    state = null;
  }

  public void previewBatch() {
    preview = null;
    run(() -> preview = ledger.preview(batch(), file));
  }

  public void addBatch() {
    run(
        () -> {
          LedgerWriter.Outcome done =
              ledger.add(batch(), file, currentUser.account().orElseThrow());
          info(
              "Added "
                  + batch().entries().size()
                  + " entries in commit "
                  + done.commit().substring(0, 12)
                  + ".");
          preview = null;
        });
    state = null;
  }

  public void retire() {
    run(
        () -> {
          ledger.retire(host, currentUser.account().orElseThrow());
          info("Retired " + host + ".");
        });
    state = null;
  }

  public void claim() {
    run(
        () -> {
          ledger.claim(host, holder, currentUser.account().orElseThrow(), null);
          info("Claimed " + host + " for " + holder + ".");
        });
    state = null;
  }

  public void release() {
    run(
        () -> {
          ledger.release(host, null, currentUser.account().orElseThrow(), null);
          info("Released " + host + ".");
        });
    state = null;
  }

  private AddressBatch batch() {
    return new AddressBatch(ipv4, ipv6Prefix, macStart, hostPattern, firstNumber);
  }

  private void run(Runnable action) {
    FacesContext faces = FacesContext.getCurrentInstance();
    try {
      action.run();
    } catch (InvalidBatchSpec e) {
      // Each rule beside its input, whose label names the field; the API's names stay out.
      for (Map.Entry<String, String> field : e.fields().entrySet()) {
        faces.addMessage(
            "batch:" + field.getKey(),
            new FacesMessage(FacesMessage.SEVERITY_ERROR, field.getValue(), null));
      }
    } catch (EntryInUse e) {
      heldBy = e.requestId();
      faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, e.getMessage(), null));
    } catch (Refusal e) {
      faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, e.getMessage(), null));
    }
  }

  private static void info(String text) {
    FacesContext.getCurrentInstance()
        .addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO, text, null));
  }

  public List<LedgerFile.NewEntry> getPreviewEntries() {
    return preview == null ? List.of() : preview.entries();
  }

  public List<String> getPreviewProblems() {
    return preview == null ? List.of() : preview.problems().stream().map(Object::toString).toList();
  }

  public boolean isPreviewed() {
    return preview != null;
  }

  /** The request that holds the entry an admin just tried to release or retire, if one does. */
  public Long getHeldBy() {
    return heldBy;
  }

  public String getIpv4() {
    return ipv4;
  }

  public void setIpv4(String ipv4) {
    this.ipv4 = ipv4;
  }

  public String getIpv6Prefix() {
    return ipv6Prefix;
  }

  public void setIpv6Prefix(String ipv6Prefix) {
    this.ipv6Prefix = ipv6Prefix;
  }

  public String getMacStart() {
    return macStart;
  }

  public void setMacStart(String macStart) {
    this.macStart = macStart;
  }

  public String getHostPattern() {
    return hostPattern;
  }

  public void setHostPattern(String hostPattern) {
    this.hostPattern = hostPattern;
  }

  public int getFirstNumber() {
    return firstNumber;
  }

  public void setFirstNumber(int firstNumber) {
    this.firstNumber = firstNumber;
  }

  public String getFile() {
    return file;
  }

  public void setFile(String file) {
    this.file = file;
  }

  public String getHost() {
    return host;
  }

  public void setHost(String host) {
    this.host = host;
  }

  public String getHolder() {
    return holder;
  }

  public void setHolder(String holder) {
    this.holder = holder;
  }
}
