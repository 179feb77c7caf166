package org.berth.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real nginx running the shipped {@code deploy/nginx/berth-guests.conf} from its own prefix, with
 * only the site's placeholders substituted: the routes directory, loopback ports for 443 and 80
 * (the IPv6 listens dropped), a wildcard test certificate and the test domain. Berth's writer tests
 * and reloads it with {@link #testCommand()} and {@link #reloadCommand()}.
 */
public final class ShippedNginx implements AutoCloseable {

  public static final Path SITE = Path.of("deploy/nginx/berth-guests.conf");

  private final Path prefix;
  private final Path routesDir;
  private final Path errorLog;
  private final Path certificate;
  private final String domain;
  private final int httpsPort;
  private final int httpPort;
  private final Process nginx;

  private ShippedNginx(
      Path prefix, Path certificate, String domain, int httpsPort, int httpPort, Process nginx) {
    this.prefix = prefix;
    this.routesDir = prefix.resolve("berth-routes");
    this.errorLog = prefix.resolve("error.log");
    this.certificate = certificate;
    this.domain = domain;
    this.httpsPort = httpsPort;
    this.httpPort = httpPort;
    this.nginx = nginx;
  }

  /**
   * Starts nginx in {@code dir/nginx} for {@code *.domain} with the wildcard {@code certificate}
   * and its {@code key}; waits until it accepts HTTPS connections.
   */
  public static ShippedNginx start(Path dir, String domain, Path certificate, Path key)
      throws IOException {
    Path program = RequiredProgram.NGINX.require();
    Path prefix = Files.createDirectories(dir.resolve("nginx"));
    Path routesDir = Files.createDirectories(prefix.resolve("berth-routes"));
    Path temp = Files.createDirectories(prefix.resolve("temp"));
    int httpsPort = PayaraProcess.freePort();
    int httpPort = PayaraProcess.freePort();

    String site = Files.readString(SITE);
    site = substitute(site, "/etc/nginx/berth-routes", routesDir.toString());
    site = substitute(site, "/etc/ssl/berth/guests.crt", certificate.toString());
    site = substitute(site, "/etc/ssl/berth/guests.key", key.toString());
    site = substitute(site, "guests.example.org", domain);
    site =
        substitute(site, "listen 443 ssl http2;", "listen 127.0.0.1:" + httpsPort + " ssl http2;");
    site = substitute(site, "listen [::]:443 ssl http2;", "");
    site = substitute(site, "listen 80;", "listen 127.0.0.1:" + httpPort + ";");
    site = substitute(site, "listen [::]:80;", "");
    Files.writeString(prefix.resolve("berth-guests.conf"), site);
    Files.writeString(
        prefix.resolve("nginx.conf"),
        String.join(
            "\n",
            "daemon off;",
            "worker_processes 1;",
            "pid " + prefix.resolve("nginx.pid") + ";",
            "error_log " + prefix.resolve("error.log") + " notice;",
            "events { worker_connections 256; }",
            "http {",
            "  access_log off;",
            "  client_body_temp_path " + temp + ";",
            "  proxy_temp_path " + temp + ";",
            "  fastcgi_temp_path " + temp + ";",
            "  uwsgi_temp_path " + temp + ";",
            "  scgi_temp_path " + temp + ";",
            "  include " + prefix.resolve("berth-guests.conf") + ";",
            "}",
            ""));
    Process process =
        new ProcessBuilder(command(program, prefix))
            .redirectErrorStream(true)
            .redirectOutput(prefix.resolve("nginx.out").toFile())
            .start();
    ShippedNginx nginx =
        new ShippedNginx(prefix, certificate, domain, httpsPort, httpPort, process);
    try {
      awaitPort(httpsPort, process, nginx.errorLog);
    } catch (IOException | RuntimeException | Error e) {
      nginx.close();
      throw e;
    }
    return nginx;
  }

  /**
   * A self-signed certificate for {@code *.domain} and its key ({@code guests.crt}, {@code
   * guests.key} in {@code dir}), as a wildcard certificate of the guests' domain would be.
   */
  public static Path[] wildcardCertificate(Path dir, String domain) throws IOException {
    Path certificate = dir.resolve("guests.crt");
    Path key = dir.resolve("guests.key");
    Process openssl =
        new ProcessBuilder(
                RequiredProgram.OPENSSL.require().toString(),
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=*." + domain,
                "-addext",
                "subjectAltName=DNS:*." + domain,
                "-keyout",
                key.toString(),
                "-out",
                certificate.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!openssl.waitFor(30, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
        throw new AssertionError("openssl could not make a certificate: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return new Path[] {certificate, key};
  }

  private static List<String> command(Path program, Path prefix, String... more) {
    return Stream.concat(
            Stream.of(
                program.toString(),
                "-p",
                prefix.toString(),
                "-c",
                prefix.resolve("nginx.conf").toString()),
            Stream.of(more))
        .toList();
  }

  /** {@code nginx -t -q} on this instance's configuration. */
  public List<String> testCommand() {
    return command(RequiredProgram.NGINX.path(), prefix, "-t", "-q");
  }

  /** {@code nginx -s reload} of this instance. */
  public List<String> reloadCommand() {
    return command(RequiredProgram.NGINX.path(), prefix, "-s", "reload");
  }

  /** The directory the site's map includes. */
  public Path routesDir() {
    return routesDir;
  }

  public Path errorLog() {
    return errorLog;
  }

  public int httpsPort() {
    return httpsPort;
  }

  public int httpPort() {
    return httpPort;
  }

  public Process process() {
    return nginx;
  }

  /** The setting value of a command list, as Berth reads it (separated by spaces). */
  public static String asSetting(List<String> command) {
    return String.join(" ", command);
  }

  /**
   * GET {@code https://<name>.<domain>:<port>/} through this nginx with curl, checking the
   * certificate; the status is 0 if no HTTP answer came (the body then says why).
   */
  public Curl.Answer get(String name) {
    String host = name + "." + domain;
    return Curl.run(
        "--cacert",
        certificate.toString(),
        "--resolve",
        host + ":" + httpsPort + ":127.0.0.1",
        "https://" + host + ":" + httpsPort + "/");
  }

  /** Waits until the workers of earlier configurations have exited (at most five seconds). */
  public void settle() {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (nginx.children().count() > 1 && System.nanoTime() < deadline) {
      Curl.sleep(20);
    }
  }

  @Override
  public void close() {
    List<ProcessHandle> children = nginx.descendants().toList();
    nginx.destroy();
    try {
      if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
        nginx.destroyForcibly();
        nginx.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    children.forEach(ProcessHandle::destroyForcibly);
  }

  /** {@code text} with {@code placeholder} replaced; fails if the shipped file lacks it. */
  public static String substitute(String text, String placeholder, String value) {
    if (!text.contains(placeholder)) {
      throw new AssertionError("the shipped configuration lacks its placeholder: " + placeholder);
    }
    return text.replace(placeholder, value);
  }

  /** Waits until a process accepts connections on a loopback port, or fails with its log. */
  public static void awaitPort(int port, Process process, Path log) throws IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (true) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 250);
        return;
      } catch (IOException notYet) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new AssertionError(
              "nothing listens on 127.0.0.1:"
                  + port
                  + ":\n"
                  + (Files.exists(log) ? Files.readString(log) : "(no log)"));
        }
        Curl.sleep(50);
      }
    }
  }
}
