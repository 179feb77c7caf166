package org.berth;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.berth.testing.Standalone;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape of Berth's code as rules: features without cycles, no upward calls from control or
 * entity to boundary, and every package calling only what the package table of {@code
 * docs/architecture.md} says it may call. The table is read here, so the rules and the document
 * cannot say different things: a new dependency means a new entry in the table, in review.
 */
@Standalone
class ArchitectureTest {

  static final String BERTH = "org.berth.";
  static final Path TABLE = Path.of("docs/architecture.md");

  /** A row of the table: {@code | `package` | owns | may call |}. */
  static final Pattern ROW = Pattern.compile("^\\| `([a-z.]+)` \\|.*\\| ([^|]+) \\|$");

  static final Pattern NAME = Pattern.compile("`([a-z]+(?:\\.[a-z]+)*(?:\\.\\*)?)`");

  static JavaClasses classes;

  @BeforeAll
  static void read() {
    classes =
        new ClassFileImporter()
            .withImportOption(new ImportOption.DoNotIncludeTests())
            // The simulator's jar carries its JSON library below its package: not Berth's code.
            .withImportOption(l -> !l.contains("/org/berth/hypervisor/simulator/internal/"))
            .importPackages("org.berth");
  }

  @Test
  void featuresHaveNoCycles() {
    ArchRule rule = slices().matching("org.berth.(*)..").should().beFreeOfCycles();
    rule.check(classes);
  }

  @Test
  void packagesHaveNoCycles() {
    ArchRule rule = slices().matching("org.berth.(**)").should().beFreeOfCycles();
    rule.check(classes);
  }

  @Test
  void onlySimulatedClusterNamesTheSimulatorWhoseClassesTheWarDoesNotHold() {
    noClasses()
        .that()
        .resideOutsideOfPackage("org.berth.hypervisor.simulator..")
        .and()
        .doNotHaveFullyQualifiedName("org.berth.hypervisor.setup.SimulatedCluster")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.berth.hypervisor.simulator..")
        .check(classes);
  }

  @Test
  void controlAndEntitiesNeverCallUpToABoundary() {
    noClasses()
        .that()
        .resideInAnyPackage("..control..", "..entity..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("..boundary..", "org.berth.web..")
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage("..entity..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("..control..")
        .check(classes);
  }

  @Test
  void everyPackageCallsOnlyWhatThePackageTableAllows() throws IOException {
    Map<String, Set<String>> allowed = table();
    assertThat(allowed).containsKeys("platform.rest", "requests.boundary", "web");
    List<String> wrong = new ArrayList<>();
    Set<String> unlisted = new TreeSet<>();
    for (JavaClass c : classes) {
      String from = c.getPackageName().substring(BERTH.length());
      if (c.getSimpleName().equals("package-info")) {
        continue;
      }
      String row = row(from, allowed.keySet());
      if (row == null) {
        unlisted.add(from);
        continue;
      }
      c.getDirectDependenciesFromSelf()
          .forEach(
              d -> {
                String to = d.getTargetClass().getPackageName();
                if (!to.startsWith(BERTH) || to.equals(c.getPackageName())) {
                  return;
                }
                String target = to.substring(BERTH.length());
                if (!within(target, row) && !permitted(target, allowed.get(row))) {
                  wrong.add(
                      from
                          + " -> "
                          + target
                          + " ("
                          + c.getSimpleName()
                          + " uses "
                          + d.getTargetClass().getSimpleName()
                          + "), which the row of `"
                          + row
                          + "` does not allow");
                }
              });
    }
    assertThat(unlisted).as("packages without a row in %s", TABLE).isEmpty();
    assertThat(new TreeSet<>(wrong)).as("calls %s does not allow", TABLE).isEmpty();
  }

  /** The table's rows: each package and the packages its "may call" cell names. */
  static Map<String, Set<String>> table() throws IOException {
    Map<String, Set<String>> rows = new LinkedHashMap<>();
    for (String line : Files.readAllLines(TABLE)) {
      Matcher row = ROW.matcher(line);
      if (!row.matches()) {
        continue;
      }
      Set<String> calls = new TreeSet<>();
      // Parenthesised notes name classes, not packages.
      Matcher name = NAME.matcher(row.group(2).replaceAll("\\([^)]*\\)", ""));
      while (name.find()) {
        calls.add(name.group(1));
      }
      rows.put(row.group(1), calls);
    }
    return rows;
  }

  /** The row a package falls under: its own, or the nearest one above it. */
  static String row(String pkg, Set<String> rows) {
    String best = null;
    for (String row : rows) {
      if (within(pkg, row) && (best == null || row.length() > best.length())) {
        best = row;
      }
    }
    return best;
  }

  static boolean within(String pkg, String row) {
    return pkg.equals(row) || pkg.startsWith(row + ".");
  }

  /** {@code x} allows the package {@code x} only; {@code x.*} every package under {@code x}. */
  static boolean permitted(String target, Set<String> calls) {
    for (String call : calls) {
      if (call.endsWith(".*")
          ? target.startsWith(call.substring(0, call.length() - 1))
          : target.equals(call)) {
        return true;
      }
    }
    return false;
  }
}
