package org.berth.platform.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.berth.testing.Http;
import org.berth.testing.PayaraProcess;
import org.berth.testing.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * A production start (the WAR on Payara Micro without {@code berth.demo}) that lacks what
 * production needs refuses to start: one log line naming the setting, readiness DOWN, every request
 * 503, and none of the demo's conveniences.
 */
class ProductionStartIT {

  @Test
  void withoutAnIdentityProviderItRefusesToStartAndTheDemoAccountsDoNotExist() throws Exception {
    List<String> settings = new ArrayList<>(TestDatabase.freshSettings());
    settings.add("berth.data-dir=target/production-start-no-idp");
    settings.add("berth.proxmox.url=https://127.0.0.1:1");
    settings.add("berth.proxmox.token-id=berth@pve!berth");
    settings.add("berth.proxmox.token-secret=not-used-0123");
    try (PayaraProcess berth = PayaraProcess.startProduction("no-idp", settings)) {
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
      assertThat(refusals.get(0)).contains("SEVERE").contains("berth.oidc.issuer");
      assertThat(berth.log()).doesNotContain("SIMULATED").doesNotContain("not-used-0123");
    }
  }

  @Test
  void withoutAHypervisorItRefusesToStartRatherThanSimulate() throws Exception {
    List<String> settings = new ArrayList<>(TestDatabase.freshSettings());
    settings.add("berth.data-dir=target/production-start-no-hypervisor");
    settings.add("berth.oidc.issuer=http://127.0.0.1:1/realms/berth");
    settings.add("berth.oidc.client-secret=not-used-4567");
    try (PayaraProcess berth = PayaraProcess.startProduction("no-hypervisor", settings)) {
      Http http = new Http(berth.base());

      assertThat(http.get("api/me").statusCode()).isEqualTo(503);
      assertThat(http.get("health/ready").statusCode()).isEqualTo(503);
      List<String> refusals =
          berth.log().lines().filter(l -> l.contains("Berth refuses to start")).toList();
      assertThat(refusals).hasSize(1);
      assertThat(refusals.get(0)).contains("berth.proxmox.url").contains("berth.hypervisor");
      assertThat(berth.log()).doesNotContain("SIMULATED").doesNotContain("not-used-4567");
    }
  }
}
