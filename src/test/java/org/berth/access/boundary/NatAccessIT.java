package org.berth.access.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.berth.testing.DemoBerth;
import org.berth.testing.Http;
import org.berth.testing.SimulatorControl;
import org.berth.testing.TestKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Access to guests in the deployed application (arquillian.xml sets the jump host token, the jump
 * host's name and the proxy domain; no proxy is written here): NAT addresses and MACs on the
 * internal network, the jump host's key answers, and how a READY guest says it is reached.
 */
class NatAccessIT {

  static final String TOKEN = "it-jumphost-token-0123456789";
  static final SimulatorControl SIM = DemoBerth.SIM;

  Http http;

  @BeforeEach
  void ready() {
    http = DemoBerth.readyFor("alice", "bob");
  }

  @Test
  void natGuestsGetDistinctAddressesAndMacsAndAFreshlyReleasedAddressIsNotHandedOutAgainAtOnce() {
    String key = TestKeys.ed25519("bob@desk");
    long a = id(http.submit("bob", "container", "nat-a", "alpine-3.20-ct", nat(null), key));
    long b = id(http.submit("bob", "container", "nat-b", "alpine-3.20-ct", nat(null), key));
    JsonObject ra = http.awaitRequest("bob", a, "READY").getJsonObject("address");
    JsonObject rb = http.awaitRequest("bob", b, "READY").getJsonObject("address");
    assertThat(ra.getString("ipv4")).startsWith("10.77.0.").isNotEqualTo(rb.getString("ipv4"));
    assertThat(ra.getString("mac")).startsWith("02:be:27:").isNotEqualTo(rb.getString("mac"));
    assertThat(ra.isNull("host")).isTrue();
    String net0 = SIM.guestsOf(a).get(0).getJsonObject("config").getString("net0");
    assertThat(net0)
        .contains("hwaddr=" + ra.getString("mac").toUpperCase())
        .contains("ip=" + ra.getString("ipv4") + "/24")
        .contains("gw=10.77.0.1");

    http.deleteRequest("bob", a);
    JsonObject deleted = Http.json(http.get("api/requests/" + a, "bob", "bob"));
    assertThat(deleted.isNull("address")).as("a released address is no longer shown").isTrue();
    long c = id(http.submit("bob", "container", "nat-c", "alpine-3.20-ct", nat(null), key));
    JsonObject rc = http.awaitRequest("bob", c, "READY").getJsonObject("address");
    assertThat(rc.getString("ipv4"))
        .as("while unused addresses remain, the one just released waits")
        .isNotIn(ra.getString("ipv4"), rb.getString("ipv4"));
    http.deleteRequest("bob", b);
    http.deleteRequest("bob", c);
  }

  @Test
  void natRequestsApprovedAtOnceGetDistinctAddresses() throws Exception {
    String key = TestKeys.ed25519("bob@desk");
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    java.util.List<java.util.concurrent.Future<JsonObject>> submitted = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String name = "nat-race-" + i;
      submitted.add(
          pool.submit(
              () -> http.submit("bob", "container", name, "alpine-3.20-ct", nat(null), key)));
    }
    java.util.List<Long> ids = new java.util.ArrayList<>();
    for (var f : submitted) {
      ids.add(id(f.get()));
    }
    pool.shutdown();
    java.util.Set<String> addresses = new java.util.HashSet<>();
    java.util.Set<String> macs = new java.util.HashSet<>();
    for (long id : ids) {
      JsonObject address =
          Http.json(http.get("api/requests/" + id, "bob", "bob")).getJsonObject("address");
      addresses.add(address.getString("ipv4"));
      macs.add(address.getString("mac"));
    }
    assertThat(addresses).hasSize(8);
    assertThat(macs).hasSize(8);
    for (long id : ids) {
      http.awaitRequest("bob", id, "READY");
    }
    // Deleted all at once, as their owner may: the guests go in parallel, each as it would alone.
    for (long id : ids) {
      assertThat(http.call("DELETE", "api/requests/" + id, "bob", "bob", null).statusCode())
          .isEqualTo(200);
    }
    for (long id : ids) {
      http.awaitRequest("bob", id, "DELETED");
    }
  }

  @Test
  void aReadyGuestReadsBackItsWebAddressAndSshBlockAndAnsibleListsIt() throws Exception {
    String key = TestKeys.ed25519("alice@laptop");
    long nat = id(http.submit("alice", "vm", "reach-web", "debian-12", nat(8080), key));
    long ledger =
        id(
            http.submit(
                "alice",
                "container",
                "reach-direct",
                "debian-12-ct",
                "{\"mode\":\"ledger\",\"host\":\"pvm049.example.com\"}",
                key));
    JsonObject n = http.awaitRequest("alice", nat, "READY");
    String ip = n.getJsonObject("address").getString("ipv4");
    JsonObject access = n.getJsonObject("access");
    assertThat(access.getString("url")).isEqualTo("https://reach-web.guests.berth.test/");
    assertThat(access.getString("ssh"))
        .isEqualTo(
            "Host reach-web\n"
                + "    HostName "
                + ip
                + "\n    User debian\n"
                + "    ProxyJump alice@jump.berth.test\n");

    JsonObject l = http.awaitRequest("alice", ledger, "READY").getJsonObject("access");
    assertThat(l.isNull("url")).isTrue();
    assertThat(l.getString("ssh"))
        .isEqualTo("Host reach-direct\n    HostName pvm049.example.com\n    User root\n");

    // Ansible, through the shipped inventory script and alice's read-only token, lists both of
    // her guests the way her SSH blocks say, and none of bob's.
    long bobs = id(http.submit("bob", "container", "reach-bob", "alpine-3.20-ct", nat(null), key));
    http.awaitRequest("bob", bobs, "READY");
    JsonObject inventory = ansibleInventory(token("alice", "read"), false);
    JsonObject vars = inventory.getJsonObject("_meta").getJsonObject("hostvars");
    assertThat(vars.keySet()).contains("reach-web", "reach-direct").doesNotContain("reach-bob");
    JsonObject web = vars.getJsonObject("reach-web");
    assertThat(web.getString("ansible_host")).isEqualTo(ip);
    assertThat(web.getString("ansible_user")).isEqualTo("debian");
    assertThat(web.getString("ansible_ssh_common_args"))
        .isEqualTo("-o ProxyJump=alice@jump.berth.test");
    JsonObject direct = vars.getJsonObject("reach-direct");
    assertThat(direct.getString("ansible_host")).isEqualTo("pvm049.example.com");
    assertThat(direct.getString("ansible_user")).isEqualTo("root");
    assertThat(direct.containsKey("ansible_ssh_common_args")).isFalse();
    assertThat(hosts(inventory, "kind_vm")).contains("reach-web").doesNotContain("reach-direct");
    assertThat(hosts(inventory, "template_debian_12_ct"))
        .contains("reach-direct")
        .doesNotContain("reach-web");
    assertThat(hosts(inventory, "owner_alice"))
        .contains("reach-web", "reach-direct")
        .doesNotContain("reach-bob");
    assertThat(inventory.containsKey("owner_bob")).isFalse();
    // Everyone's guests are for admins; alice asking gets the script's clear refusal.
    JsonObject all = ansibleInventory(token("admin", "read"), true);
    assertThat(all.getJsonObject("_meta").getJsonObject("hostvars").keySet())
        .contains("reach-web", "reach-direct", "reach-bob");
    assertThat(all.getJsonObject("owner_bob").toString()).contains("reach-bob");
    String alices = token("alice", "read");
    org.berth.testing.Exec.Result refused = inventoryScript(alices, true);
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.err())
        .contains("answered 403 only admins may list everyone's guests")
        .doesNotContain(alices);
    http.deleteRequest("bob", bobs);

    http.deleteRequest("alice", nat);
    JsonObject gone = Http.json(http.get("api/requests/" + nat, "alice", "alice"));
    assertThat(gone.isNull("access")).as("a deleted guest has no way in").isTrue();
    http.deleteRequest("alice", ledger);
  }

  @Test
  void theJumpHostGetsEachKeyRestrictedToItsOwnersReadyGuestsAndNothingElse() throws Exception {
    JsonObject aliceKey = addKey("alice", TestKeys.ed25519("alice@jump"));
    JsonObject bobKey = addKey("bob", TestKeys.ed25519("bob@jump"));
    long alices =
        id(
            http.submit(
                "alice",
                "container",
                "jump-a",
                "alpine-3.20-ct",
                nat(null),
                aliceKey.getString("key")));
    long bobs =
        id(
            http.submit(
                "bob",
                "container",
                "jump-b",
                "alpine-3.20-ct",
                nat(null),
                bobKey.getString("key")));
    String aliceIp =
        http.awaitRequest("alice", alices, "READY").getJsonObject("address").getString("ipv4");
    String bobIp =
        http.awaitRequest("bob", bobs, "READY").getJsonObject("address").getString("ipv4");

    HttpResponse<String> answer = keys(TOKEN, "alice", aliceKey.getString("fingerprint"));
    assertThat(answer.statusCode()).as(answer.headers() + " " + answer.body()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Content-Type"))
        .get()
        .asString()
        .startsWith("text/plain");
    assertThat(answer.body().lines()).hasSize(1);
    String line = answer.body().strip();
    assertThat(line)
        .startsWith("restrict,port-forwarding,permitopen=")
        .endsWith(" " + aliceKey.getString("key"))
        .contains("permitopen=\"" + aliceIp + ":22\"")
        .doesNotContain(bobIp + ":");
    assertThat(permitted(line)).isEqualTo(readyAddresses("alice"));

    assertThat(answered(keys(TOKEN, "alice", bobKey.getString("fingerprint"))))
        .as("bob's key asked for alice's account")
        .isEmpty();
    assertThat(answered(keys(TOKEN, "alice", "")).lines())
        .as("without a fingerprint: each of alice's keys, each with the same restrictions")
        .isNotEmpty()
        .allSatisfy(l -> assertThat(l).startsWith(line.substring(0, line.indexOf(" ssh-"))))
        .contains(line);
    assertThat(
            keys("wrong-token-0123456789", "alice", aliceKey.getString("fingerprint")).statusCode())
        .isEqualTo(401);
    assertThat(keys(null, "alice", aliceKey.getString("fingerprint")).statusCode()).isEqualTo(401);
    HttpResponse<String> badUser = keys(TOKEN, "al ice", aliceKey.getString("fingerprint"));
    assertThat(badUser.statusCode()).isEqualTo(400);
    assertThat(badUser.body()).contains("user: must be a Berth user name");
    HttpResponse<String> badPrint = keys(TOKEN, "alice", "MD5:00:11");
    assertThat(badPrint.statusCode()).isEqualTo(400);
    assertThat(badPrint.body()).contains("fingerprint: must be an OpenSSH SHA256 fingerprint");

    http.deleteRequest("alice", alices);
    String afterDelete = answered(keys(TOKEN, "alice", aliceKey.getString("fingerprint")));
    assertThat(afterDelete).doesNotContain(aliceIp + ":");

    long again =
        id(
            http.submit(
                "alice",
                "container",
                "jump-a2",
                "alpine-3.20-ct",
                nat(null),
                aliceKey.getString("key")));
    http.awaitRequest("alice", again, "READY");
    assertThat(answered(keys(TOKEN, "alice", aliceKey.getString("fingerprint")))).isNotEmpty();
    HttpResponse<String> removed =
        http.call("DELETE", "api/me/keys/" + aliceKey.getInt("id"), "alice", "alice", null);
    assertThat(removed.statusCode()).isEqualTo(204);
    assertThat(answered(keys(TOKEN, "alice", aliceKey.getString("fingerprint"))))
        .as("a removed key")
        .isEmpty();
    http.deleteRequest("alice", again);
    http.deleteRequest("bob", bobs);
  }

  @Test
  void aBadProfileKeyIsRefusedByFieldAndNothingIsSaved() {
    int before = keysOf("bob");
    HttpResponse<String> notText =
        http.call("POST", "api/me/keys", "bob", "bob", "{\"label\":5,\"key\":\"x\"}");
    assertThat(notText.statusCode()).isEqualTo(400);
    assertThat(notText.body()).contains("label: must be a string");
    HttpResponse<String> broken =
        http.call(
            "POST",
            "api/me/keys",
            "bob",
            "bob",
            "{\"label\":\"laptop\",\"key\":\"ssh-ed25519 AAAAnotakey\"}");
    assertThat(broken.statusCode()).isEqualTo(400);
    assertThat(broken.body()).contains("key:");
    assertThat(keysOf("bob")).isEqualTo(before);
    assertThat(http.call("DELETE", "api/me/keys/999999999", "bob", "bob", null).statusCode())
        .isEqualTo(404);
  }

  private int keysOf(String user) {
    HttpResponse<String> r = http.get("api/me/keys", user, user);
    assertThat(r.statusCode()).isEqualTo(200);
    try (var reader = jakarta.json.Json.createReader(new java.io.StringReader(r.body()))) {
      return reader.readArray().size();
    }
  }

  private JsonObject addKey(String user, String key) {
    HttpResponse<String> r =
        http.call(
            "POST",
            "api/me/keys",
            user,
            user,
            jakarta.json.Json.createObjectBuilder()
                .add("label", "jump test")
                .add("key", key)
                .build()
                .toString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return Http.json(r);
  }

  /** The jump host's question, as its key command asks it. */
  private HttpResponse<String> keys(String token, String user, String fingerprint)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
            http.uri(
                "api/jumphost/authorized-keys?user="
                    + URLEncoder.encode(user, StandardCharsets.UTF_8)
                    + "&fingerprint="
                    + URLEncoder.encode(fingerprint, StandardCharsets.UTF_8)));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build());
  }

  /** The body of a 200 answer; any other status fails the test. */
  private static String answered(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.body();
  }

  private static Set<String> permitted(String line) {
    return java.util.regex.Pattern.compile("permitopen=\"([^\"]+)\"")
        .matcher(line)
        .results()
        .map(m -> m.group(1))
        .collect(Collectors.toSet());
  }

  /** {@code ip:22} of each of {@code user}'s READY guests, as the API lists them. */
  private Set<String> readyAddresses(String user) {
    JsonObject page = Http.json(http.get("api/requests?state=READY&limit=100", user, user));
    return page.getJsonArray("requests").getValuesAs(JsonObject.class).stream()
        .filter(r -> r.getString("state").equals("READY") && !r.isNull("address"))
        .map(r -> r.getJsonObject("address"))
        .map(
            a -> (a.isNull("ipv4") ? "[" + a.getString("ipv6") + "]" : a.getString("ipv4")) + ":22")
        .collect(Collectors.toSet());
  }

  private static long id(JsonObject request) {
    return request.getJsonNumber("id").longValue();
  }

  private static String nat(Integer httpPort) {
    return httpPort == null
        ? "{\"mode\":\"nat\"}"
        : "{\"mode\":\"nat\",\"httpPort\":" + httpPort + "}";
  }

  private static List<String> hosts(JsonObject inventory, String group) {
    return inventory
        .getJsonObject(group)
        .getJsonArray("hosts")
        .getValuesAs(JsonString.class)
        .stream()
        .map(JsonString::getString)
        .toList();
  }

  /** A personal API token of {@code user} (demo password = user name). */
  private String token(String user, String scope) {
    HttpResponse<String> r =
        http.call(
            "POST",
            "api/me/tokens",
            user,
            user,
            "{\"name\":\"ansible-"
                + System.nanoTime()
                + "\",\"expiresInDays\":1,\"scope\":\""
                + scope
                + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return Http.json(r).getString("token");
  }

  /** {@code ansible-inventory --list} with deploy/ansible/berth_inventory.py, as its doc says. */
  private JsonObject ansibleInventory(String token, boolean all) throws Exception {
    org.berth.testing.Exec.Result r =
        org.berth.testing.Exec.run(
            java.util.List.of(
                org.berth.testing.RequiredProgram.ANSIBLE_INVENTORY.require().toString(),
                "-i",
                java.nio.file.Path.of("deploy/ansible/berth_inventory.py")
                    .toAbsolutePath()
                    .toString(),
                "--list"),
            environment(token, all),
            java.time.Duration.ofSeconds(60));
    assertThat(r.exit()).as(r.err()).isZero();
    return jakarta.json.Json.createReader(new java.io.StringReader(r.out())).readObject();
  }

  private org.berth.testing.Exec.Result inventoryScript(String token, boolean all)
      throws Exception {
    return org.berth.testing.Exec.run(
        java.util.List.of(
            java.nio.file.Path.of("deploy/ansible/berth_inventory.py").toAbsolutePath().toString(),
            "--list"),
        environment(token, all),
        java.time.Duration.ofSeconds(60));
  }

  private java.util.Map<String, String> environment(String token, boolean all) {
    java.util.Map<String, String> env = new java.util.HashMap<>();
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("BERTH_URL", DemoBerth.base().toString());
    env.put("BERTH_TOKEN", token);
    env.put("BERTH_INVENTORY_ALL", Boolean.toString(all));
    // Ansible's own files go to the build directory, not the home of whoever runs the tests.
    env.put(
        "ANSIBLE_LOCAL_TEMP",
        java.nio.file.Path.of("target/ansible-tmp").toAbsolutePath().toString());
    env.put(
        "ANSIBLE_HOME", java.nio.file.Path.of("target/ansible-home").toAbsolutePath().toString());
    return env;
  }
}
