package org.berth.web.requests;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.berth.identity.SshKeys;
import org.berth.requests.control.RequestDraft;
import org.berth.requests.entity.TemplateSpec;
import org.berth.web.FieldProblems;
import org.berth.web.Messages;

/**
 * What a person has typed into the request wizard, as the inputs hold it: text, choices and
 * switches. Nothing is checked here; {@link #draft} hands it all to the boundary, which checks
 * every rule at once, with the texts that are no numbers noted on the way.
 */
public class RequestInputs implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A key the request would carry, and where the person gave it. */
  record KeyLine(String line, String input, String where) {}

  private String kind = "vm";
  private String template;
  private String name;
  private String cores;
  private String memory;
  private String disk;
  private String sizedFor;
  private boolean nat;
  private String httpPort;
  private String host;
  private List<String> chosenKeys = new ArrayList<>();
  private String newKeys;
  private boolean saveKeys;
  private String leaseDays;
  private String purpose;

  /** The template's sizes, unless the sizes were filled in for this template already. */
  void sizeFor(TemplateSpec spec) {
    if (!spec.name().equals(sizedFor)) {
      cores = String.valueOf(spec.defaultCores());
      memory = String.valueOf(spec.defaultMemoryMib());
      disk = String.valueOf(spec.defaultDiskGib());
      sizedFor = spec.name();
    }
  }

  /** The chosen saved keys, then the pasted lines, in the order the request lists them. */
  List<KeyLine> keyLines(List<SshKeys.Saved> saved) {
    List<KeyLine> lines = new ArrayList<>();
    for (SshKeys.Saved key : saved) {
      if (chosenKeys.contains(key.publicKey())) {
        lines.add(new KeyLine(key.publicKey(), "keys", key.label()));
      }
    }
    for (String line : chosenKeys) {
      if (saved.stream().noneMatch(s -> s.publicKey().equals(line))) {
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

  /** The request as typed, for the boundary to check; numbers that are none go to {@code notes}. */
  RequestDraft draft(List<KeyLine> keys, FieldProblems notes) {
    return new RequestDraft(
        kind,
        name == null ? null : name.strip(),
        template,
        notes.number("cores", cores),
        notes.number("memoryMiB", memory),
        notes.number("diskGiB", disk),
        nat ? "nat" : "ledger",
        nat ? null : host,
        nat ? notes.number("network.httpPort", httpPort) : null,
        keys.stream().map(KeyLine::line).toList(),
        notes.number("leaseDays", leaseDays),
        purpose);
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

  /** The chosen ledger entry's host name; chosen through the wizard's entry table. */
  public String getHost() {
    return host;
  }

  void setHost(String host) {
    this.host = host;
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
