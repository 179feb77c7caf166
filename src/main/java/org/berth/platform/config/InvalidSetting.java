package org.berth.platform.config;

/** A configuration value that breaks a rule; names the setting and the rule, never the value. */
public class InvalidSetting extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String setting;

  public InvalidSetting(String setting, String rule) {
    super(setting + " " + rule);
    this.setting = setting;
  }

  public String setting() {
    return setting;
  }
}
