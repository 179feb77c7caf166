package org.berth.web;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.berth.platform.refusal.InvalidInput;
import org.berth.platform.refusal.Refusal;

/**
 * What a form shows when what was typed breaks rules: each broken rule beside the input that shows
 * its field, and the rest as messages for the page. It reads the numbers people type, noting a text
 * that is none under its field, so that those and the boundary's rules come back in one answer. The
 * request wizard, the request page and the template page share it.
 *
 * <p>Fields are the API's names ({@code memoryMiB}, {@code sshKeys[2]}); a form says which of its
 * inputs shows a field ({@link Inputs}).
 */
public final class FieldProblems implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Where a field's rule is shown: the input's id in its form, and the text shown there. */
  public record Placed(String input, String rule) {}

  /** Which input of a form shows a field's rule, if any does. */
  @FunctionalInterface
  public interface Inputs extends Serializable {
    Optional<Placed> place(String field, String rule);

    /** The inputs whose ids are the fields' names. */
    static Inputs sameNames() {
      return (field, rule) -> Optional.of(new Placed(field, rule));
    }

    /** The inputs this map names, by field. */
    static Inputs of(Map<String, String> inputs) {
      Map<String, String> copy = Map.copyOf(inputs);
      return (field, rule) ->
          Optional.ofNullable(copy.get(field)).map(input -> new Placed(input, rule));
    }
  }

  private final String notANumber;
  private final Map<String, String> notNumbers = new LinkedHashMap<>();

  /** Problems of a page, which says "not a number" in its own words (the message bundle's). */
  public FieldProblems() {
    this(null);
  }

  /** Problems of a form that says {@code notANumber} of a text that is no number. */
  public FieldProblems(String notANumber) {
    this.notANumber = notANumber;
  }

  private String notANumber() {
    return notANumber != null ? notANumber : Messages.text("request.notANumber");
  }

  private final Map<String, List<String>> byInput = new LinkedHashMap<>();
  private final List<String> elsewhere = new ArrayList<>();

  /**
   * The whole number typed for {@code field}, or null when nothing is; a text that is no whole
   * number is noted under the field ({@link #notNumbers()}) and also gives null.
   */
  public Long number(String field, String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Long.valueOf(text.strip());
    } catch (NumberFormatException e) {
      notNumbers.put(field, notANumber());
      return null;
    }
  }

  /**
   * As {@link #number}, for a field that needs a number: blank is noted with {@code requiredRule},
   * and a noted field gives 0.
   */
  public int required(String field, String text, String requiredRule) {
    if (text == null || text.isBlank()) {
      notNumbers.put(field, requiredRule);
      return 0;
    }
    Long n = number(field, text);
    if (n == null || n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
      notNumbers.put(field, notANumber());
      return 0;
    }
    return n.intValue();
  }

  /** The fields whose text was no number, with the rule to show; given to the boundary as well. */
  public Map<String, String> notNumbers() {
    return notNumbers;
  }

  /** Refuses the texts that were no numbers, if there were any, before anything is asked. */
  public void refuseNotNumbers() {
    if (!notNumbers.isEmpty()) {
      throw new InvalidInput(new LinkedHashMap<>(notNumbers));
    }
  }

  /**
   * Files what a refusal says: each field's rule under the input that shows it, the fields no input
   * shows and a refusal without a field as sentences for the page ({@link #elsewhere()}). Texts
   * that were no numbers are filed with them. Forgets what was filed before.
   */
  public void file(Refusal refusal, Inputs inputs) {
    byInput.clear();
    elsewhere.clear();
    Map<String, String> fields = new LinkedHashMap<>();
    if (refusal instanceof InvalidInput invalid) {
      fields.putAll(invalid.fields());
    } else if (refusal.field() != null) {
      fields.put(refusal.field(), refusal.rule());
    }
    fields.putAll(notNumbers); // more exact than the rule the stand-in value broke
    if (fields.isEmpty()) {
      elsewhere.add(refusal.getMessage());
    }
    fields.forEach(
        (field, rule) ->
            inputs
                .place(field, rule)
                .ifPresentOrElse(
                    p -> byInput.computeIfAbsent(p.input(), k -> new ArrayList<>()).add(p.rule()),
                    () -> elsewhere.add(field + ": " + rule)));
  }

  /** Forgets everything filed and noted. */
  public void clear() {
    byInput.clear();
    elsewhere.clear();
    notNumbers.clear();
  }

  /** The rules filed under each input, by input id. */
  public Map<String, List<String>> byInput() {
    return byInput;
  }

  /** The rules no input shows, as sentences. */
  public List<String> elsewhere() {
    return elsewhere;
  }

  /** Forgets the rules of the inputs {@code which} accepts (a step that was filled in again). */
  public void forget(Predicate<String> which) {
    byInput.keySet().removeIf(which);
  }

  /**
   * Shows the rules beside the inputs of {@code form} that {@code shown} accepts (a step); with
   * {@code form} null, the inputs' ids are whole client ids.
   */
  public void show(String form, Predicate<String> shown) {
    byInput.forEach(
        (input, rules) -> {
          if (shown.test(input)) {
            String id = form == null ? input : form + ":" + input;
            rules.forEach(rule -> Messages.field(id, rule));
          }
        });
  }

  /** Shows every rule beside its input of {@code form}, and the others as page messages. */
  public void showAll(String form) {
    show(form, input -> true);
    elsewhere.forEach(Messages::error);
  }
}
