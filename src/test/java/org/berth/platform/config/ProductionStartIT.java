package org.berth.platform.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.berth.testing.Http;
import org.berth.testing.PayaraProcess;
import org.berth.testing.Standalone;
import org.berth.testing.TestDatabase;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * A production start (the WAR on Payara Micro without {@code berth.demo}) that lacks what
 * production needs refuses to start: one log line naming the setting, readiness DOWN, every request
 * 503, and none of the demo's conveniences.
 */
@Standalone
@Order(7)
class ProductionStartIT {

  @Test
  void theWarHoldsNoClassOfTheSimulatedCluster() throws Exception {
    List<String> entries;
    try (ZipFile war = new ZipFile(System.getProperty("berth.war"))) {
      entries = war.stream().map(ZipEntry::getName).toList();
    }
    assertThat(entries).contains("WEB-INF/classes/org/berth/hypervisor/setup/Hypervisors.class");
    assertThat(entries)
        .noneMatch(e -> e.contains("org/berth/hypervisor/simulator/"))
        .noneMatch(e -> e.contains("berth-simulator"));
  }

  /** One start lacking everything production needs, so that one boot shows every refusal. */
  @Test
  void withoutAnIdentityProviderOrAHypervisorItRefusesToStartNamingBothAndRunsNoDemoPart()
      throws Exception {
    List<String> settings = new ArrayList<>(TestDatabase.freshSettings());
    settings.add("berth.data-dir=target/production-start-refused");
    settings.add("berth.proxmox.token-secret=not-used-0123");
    settings.add("berth.oidc.client-secret=not-used-4567");
    try (PayaraProcess berth = PayaraProcess.startProduction("refused", settings)) {
      Http http = new Http(berth.base());

      HttpResponse<String> me = http.get("api/me", "admin", "admin");
      assertThat(me.statusCode()).isEqualTo(503);
      assertThat(me.body()).contains("missing setting").doesNotContain("admin");
      HttpResponse<String> ready = http.get("health/ready");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).isEqualTo("{\"status\":\"DOWN\"}");
      HttpResponse<String> login = http.get("login.xhtml");
      assertThat(login.statusCode()).isEqualTo(503);
      assertThat(login.body()).doesNotContain("alice").doesNotContain("admin / admin");
      assertThat(http.get("jakarta.faces.resource/berth/berth.css.xhtml").statusCode())
          .isEqualTo(503);

      List<String> refusals =
          berth.log().lines().filter(l -> l.contains("Berth refuses to start")).toList();
      assertThat(refusals).hasSize(1);
      assertThat(refusals.get(0))
          .contains("SEVERE")
          .contains("berth.oidc.issuer")
          .contains("berth.proxmox.url")
          .contains("berth.hypervisor");
      assertThat(berth.log())
          .doesNotContain("SIMULATED")
          .doesNotContain("Simulated Proxmox")
          .doesNotContain("not-used-0123")
          .doesNotContain("not-used-4567");
    }
  }
}
