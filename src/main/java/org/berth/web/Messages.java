package org.berth.web;

import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import java.text.MessageFormat;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * Faces messages for the backing beans: texts from the resource bundle ({@code msg}), sentences the
 * boundaries wrote (an {@code Refusal}'s message), and keeping them across a redirect.
 */
public final class Messages {

  private Messages() {}

  /** A text of the bundle, with {@code {0}}-style arguments filled in. */
  public static String text(String key, Object... args) {
    FacesContext faces = FacesContext.getCurrentInstance();
    ResourceBundle bundle = faces.getApplication().getResourceBundle(faces, "msg");
    String pattern = bundle.getString(key);
    return args.length == 0 ? pattern : new MessageFormat(pattern, Locale.ENGLISH).format(args);
  }

  /** A page-wide confirmation from the bundle. */
  public static void info(String key, Object... args) {
    add(null, FacesMessage.SEVERITY_INFO, text(key, args));
  }

  /** A page-wide warning from the bundle. */
  public static void warn(String key, Object... args) {
    add(null, FacesMessage.SEVERITY_WARN, text(key, args));
  }

  /** A page-wide error in the words of a boundary. */
  public static void error(String sentence) {
    add(null, FacesMessage.SEVERITY_ERROR, sentence);
  }

  /** An error shown beside the component {@code clientId}. */
  public static void field(String clientId, String rule) {
    add(clientId, FacesMessage.SEVERITY_ERROR, rule);
  }

  /** Keeps this request's messages for the page a redirect leads to. */
  public static void keepForRedirect() {
    FacesContext.getCurrentInstance().getExternalContext().getFlash().setKeepMessages(true);
  }

  private static void add(String clientId, FacesMessage.Severity severity, String text) {
    FacesContext.getCurrentInstance().addMessage(clientId, new FacesMessage(severity, text, null));
  }
}
