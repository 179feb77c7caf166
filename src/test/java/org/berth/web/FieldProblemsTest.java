package org.berth.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.berth.platform.refusal.InvalidInput;
import org.berth.platform.refusal.Refusal;
import org.junit.jupiter.api.Test;

class FieldProblemsTest {

  static final class Taken extends Refusal {
    private static final long serialVersionUID = 1L;

    Taken() {
      super(Kind.CONFLICT, "name_taken", "name", "another live request is called web");
    }
  }

  static final class Busy extends Refusal {
    private static final long serialVersionUID = 1L;

    Busy() {
      super(Kind.UNAVAILABLE, "busy", "the ledger is busy; try again");
    }
  }

  @Test
  void eachRuleGoesBesideTheInputThatShowsItsFieldAndTheRestIsForThePage() {
    FieldProblems problems = new FieldProblems("is not a number");
    problems.file(
        new InvalidInput(Map.of("memoryMiB", "must be at most 4096", "owner", "is blocked")),
        FieldProblems.Inputs.of(Map.of("memoryMiB", "memory")));
    assertThat(problems.byInput())
        .containsExactly(Map.entry("memory", List.of("must be at most 4096")));
    assertThat(problems.elsewhere()).containsExactly("owner: is blocked");
  }

  @Test
  void aRefusalOfOneFieldIsShownThereAndOneWithoutAFieldIsForThePage() {
    FieldProblems problems = new FieldProblems("is not a number");
    problems.file(new Taken(), FieldProblems.Inputs.sameNames());
    assertThat(problems.byInput())
        .containsExactly(Map.entry("name", List.of("another live request is called web")));
    problems.file(new Busy(), FieldProblems.Inputs.sameNames());
    assertThat(problems.byInput()).isEmpty();
    assertThat(problems.elsewhere()).containsExactly("the ledger is busy; try again");
  }

  @Test
  void textThatIsNoNumberIsNotedAndOutranksTheRuleItsStandInBroke() {
    FieldProblems problems = new FieldProblems("is not a number");
    assertThat(problems.number("cores", " 4 ")).isEqualTo(4L);
    assertThat(problems.number("cores", "")).isNull();
    assertThat(problems.number("diskGiB", "ten")).isNull();
    assertThat(problems.required("maxCores", " ", "is required")).isZero();
    assertThat(problems.required("maxDiskGiB", "99999999999", "is required")).isZero();
    assertThat(problems.notNumbers()).containsOnlyKeys("diskGiB", "maxCores", "maxDiskGiB");
    assertThat(problems.notNumbers().get("maxCores")).isEqualTo("is required");
    assertThatThrownBy(problems::refuseNotNumbers)
        .isInstanceOfSatisfying(
            InvalidInput.class,
            e -> assertThat(e.fields()).containsOnlyKeys("diskGiB", "maxCores", "maxDiskGiB"));

    problems.file(
        new InvalidInput(Map.of("maxCores", "must be at least 1")),
        FieldProblems.Inputs.sameNames());
    assertThat(problems.byInput().get("maxCores")).containsExactly("is required");
    assertThat(problems.byInput()).containsKeys("diskGiB", "maxDiskGiB");
  }

  @Test
  void aStepFilledInAgainForgetsItsRules() {
    FieldProblems problems = new FieldProblems("is not a number");
    problems.file(
        new InvalidInput(Map.of("name", "is required", "cores", "must be at least 1")),
        FieldProblems.Inputs.sameNames());
    problems.forget(input -> input.equals("name"));
    assertThat(problems.byInput()).containsOnlyKeys("cores");
    problems.clear();
    assertThat(problems.byInput()).isEmpty();
    assertThat(problems.notNumbers()).isEmpty();
  }
}
