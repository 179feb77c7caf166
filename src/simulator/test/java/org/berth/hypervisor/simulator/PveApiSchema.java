package org.berth.hypervisor.simulator;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Map.entry;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * The Proxmox VE API schema as Proxmox publishes it for its API viewer, and a judge of calls
 * against it: would Proxmox accept this method, path and these parameters?
 *
 * <p>The rules are those of PVE::JSONSchema ({@code check_prop}, {@code check_type}, {@code
 * check_format}, {@code parse_property_string}) and of the format verifiers that pve-common,
 * qemu-server, pve-container, pve-storage and pve-access-control register. Parameters are taken as
 * the API handler sees them, after the HTTP layer decoded the form or query string. On top of the
 * schema, the SSH keys of a guest are checked the way the qemu and lxc handlers do before they
 * accept them. A named format this class does not know is not checked; {@link #unknownFormats()}
 * lists it.
 */
public final class PveApiSchema {

  public static final String LOCATION_PROPERTY = "berth.pve-schema";

  // Perl matches these against decoded (character) strings: \w, \d and \s are Unicode-aware, and
  // $ also matches before a final newline, which UNIX_LINES gives Java's $ as well.
  private static final int PERL = Pattern.UNIX_LINES | Pattern.UNICODE_CHARACTER_CLASS;

  /**
   * The last index of each family of indexed parameters ({@code net[n]} is net0 to net31), from the
   * loops that register them in qemu-server, pve-container, pve-cluster and pve-manager; the API
   * viewer folds them into one entry and says the range only for some of them.
   */
  private static final Map<String, Integer> LAST_INDEX =
      Map.ofEntries(
          entry("net", 31),
          entry("ipconfig", 31),
          entry("ide", 3),
          entry("sata", 5),
          entry("scsi", 30),
          entry("virtio", 15),
          entry("hostpci", 15),
          entry("usb", 13),
          entry("serial", 3),
          entry("parallel", 2),
          entry("numa", 7),
          entry("virtiofs", 9),
          entry("unused", 255),
          entry("mp", 255),
          entry("dev", 255),
          entry("link", 7),
          entry("acmedomain", 4));

  private static final Pattern INDEXED = Pattern.compile("(.+?)(0|[1-9][0-9]*)");
  private static final Pattern RANGE_IN_DESCRIPTION = Pattern.compile("\\(n is 0 to (\\d+)");
  private static final Pattern FORMAT_NAME = Pattern.compile("(.*?)(?:-(list|opt))?");
  private static final Pattern KEY_VALUE = Pattern.compile("^([^=]+)=(.+)$", PERL);
  private static final Pattern TRUE =
      Pattern.compile("^(?:1|on|yes|true)$", PERL | Pattern.CASE_INSENSITIVE);
  private static final Pattern FALSE =
      Pattern.compile("^(?:0|off|no|false)$", PERL | Pattern.CASE_INSENSITIVE);
  private static final Pattern INTEGER = Pattern.compile("^[+-]?[0-9]+$", PERL);
  private static final Pattern NUMBER =
      Pattern.compile(
          "^[+-]?([0-9]+\\.[0-9]+|[0-9]+\\.|\\.[0-9]+|[0-9]+)([eE][+-]?[0-9]+)?$", PERL);
  private static final Pattern PERCENT = Pattern.compile("%([0-9A-Fa-f]{2})");

  // PVE::Tools
  private static final String IPV4_OCTET = "(?:25[0-5]|(?:[1-9]|1[0-9]|2[0-4])?[0-9])";
  private static final String IPV4 = "(?:(?:" + IPV4_OCTET + "\\.){3}" + IPV4_OCTET + ")";
  private static final String H16 = "(?:[0-9a-fA-F]{1,4})";
  private static final String LS32 = "(?:(?:" + IPV4 + "|" + H16 + ":" + H16 + "))";
  private static final String IPV6 =
      ("(?:"
              + String.join(
                  "|",
                  "(?:(?:(?:H16:){6})LS32)",
                  "(?:(?:::(?:H16:){5})LS32)",
                  "(?:(?:(?:H16)?::(?:H16:){4})LS32)",
                  "(?:(?:(?:(?:H16:){0,1}H16)?::(?:H16:){3})LS32)",
                  "(?:(?:(?:(?:H16:){0,2}H16)?::(?:H16:){2})LS32)",
                  "(?:(?:(?:(?:H16:){0,3}H16)?::(?:H16:){1})LS32)",
                  "(?:(?:(?:(?:H16:){0,4}H16)?::)LS32)",
                  "(?:(?:(?:(?:H16:){0,5}H16)?::)H16)",
                  "(?:(?:(?:(?:H16:){0,6}H16)?::))")
              + ")")
          .replace("LS32", LS32)
          .replace("H16", H16);
  private static final String EMAIL_USER = "[\\w+\\-~]+(\\.[\\w+\\-~]+)*";
  private static final String EMAIL = EMAIL_USER + "@[a-zA-Z0-9\\-]+(\\.[a-zA-Z0-9\\-]+)*";
  private static final String DNS_LABEL = "([a-zA-Z0-9]([a-zA-Z0-9\\-]*[a-zA-Z0-9])?)";
  private static final String STORAGE_ID = "[a-z][a-z0-9\\-_.]*[a-z0-9]";

  private static final Pattern QUANTIFIER = Pattern.compile("\\{(\\d*),?(\\d*)}");
  private static final Pattern ID_PAIR = Pattern.compile("^([^:]+):([^:]+)$", PERL);
  private static final Predicate<String> IS_IP = perl("^(?:(?:" + IPV4 + ")|(?:" + IPV6 + "))$");
  private static final Predicate<String> IS_DNS_NAME =
      perl("^(" + DNS_LABEL + "\\.)*" + DNS_LABEL + "$");
  private static final Predicate<String> IS_STORAGE_ID = perl("(?i)^" + STORAGE_ID + "$");
  private static final Predicate<String> IS_BRIDGE_ID = perl("^[-_.\\w\\d]+$");
  private static final Predicate<String> IS_IFACE = perl("(?i)^[a-z][a-z0-9_]{1,20}([:.]\\d+)?$");
  private static final Predicate<String> IS_VOLUME_ID = perl("(?i)^(" + STORAGE_ID + "):(.+)$");
  private static final Predicate<String> IS_IPV4_KEYWORD = perl("^(?:dhcp|manual)$");
  private static final Predicate<String> IS_IPV6_KEYWORD = perl("^(?:auto|dhcp|manual)$");
  private static final Predicate<String> IS_EMAIL = perl("^" + EMAIL + "$");
  private static final Predicate<String> IS_EMAIL_USER = perl("^" + EMAIL_USER + "$");
  private static final List<Predicate<String>> STARTUP_ORDER_PARTS =
      List.of(perl("^(order=)?(\\d+)$"), perl("^up=(\\d+)$"), perl("^down=(\\d+)$"));
  private static final List<Predicate<String>> MOUNT_POINT_ESCAPES =
      List.of(perl("/\\.\\.?/"), perl("/\\.\\.?$"), perl("^\\.\\./"));
  private static final Pattern CIDR4 = Pattern.compile("^(?:" + IPV4 + ")(?:/(\\d+))$", PERL);
  private static final Pattern CIDR6 = Pattern.compile("^(?:" + IPV6 + ")(?:/(\\d+))$", PERL);
  private static final Pattern LINK_LOCAL_WITH_IFACE = Pattern.compile("^(fe80:[^%]+)%(.*)$", PERL);

  /** The code-ref formats PVE::JSONSchema::check_format calls, by registered name. */
  private static final Map<String, Predicate<String>> FORMATS =
      Map.ofEntries(
          entry("string", v -> true),
          entry("urlencoded", perl("^[-%a-zA-Z0-9_.!~*'()]*$")),
          entry("pve-configid", perl("(?i)^[a-z][a-z0-9_-]+$")),
          entry("pve-storage-id", IS_STORAGE_ID),
          entry("pve-bridge-id", IS_BRIDGE_ID),
          entry("pve-vmid", perl("^[1-9][0-9]{2,8}$")),
          entry("pve-node", perl("^([a-zA-Z0-9]([a-zA-Z0-9\\-]*[a-zA-Z0-9])?)$")),
          // the I/G bit must be clear: Proxmox takes unicast addresses only
          entry("mac-addr", perl("(?i)^[a-f0-9][02468ace](?::[a-f0-9]{2}){5}$")),
          entry("ipv4", perl("^(?:" + IPV4 + ")$")),
          entry("ipv6", perl("^(?:" + IPV6 + ")$")),
          entry("ip", IS_IP),
          entry("CIDRv4", v -> prefixWithin(CIDR4, v, 32)),
          entry("CIDRv6", v -> prefixWithin(CIDR6, v, 128)),
          entry("CIDR", v -> prefixWithin(CIDR4, v, 32) || prefixWithin(CIDR6, v, 128)),
          entry("pve-ipv4-config", v -> IS_IPV4_KEYWORD.test(v) || prefixWithin(CIDR4, v, 32)),
          entry("pve-ipv6-config", v -> IS_IPV6_KEYWORD.test(v) || prefixWithin(CIDR6, v, 128)),
          entry("email", IS_EMAIL),
          entry("email-or-username", IS_EMAIL.or(IS_EMAIL_USER)),
          entry("dns-name", IS_DNS_NAME),
          entry("address", IS_IP.or(IS_DNS_NAME)),
          entry("disk-size", perl("^(\\d+(\\.\\d+)?)([KMGT])?$")),
          entry("pve-tag", perl("(?i)^[a-z0-9_][a-z0-9_\\-+.]*$")),
          entry("pve-startup-order", PveApiSchema::isStartupOrder),
          entry("pve-iface", IS_IFACE),
          // pools nest up to three levels since Proxmox VE 8.1
          entry("pve-poolid", perl("^[A-Za-z0-9.\\-_]+(?:/[A-Za-z0-9.\\-_]+){0,2}$")),
          entry("pve-volume-id", IS_VOLUME_ID),
          entry(
              "pve-volume-id-or-qm-path",
              v ->
                  v.equals("none")
                      || v.equals("cdrom")
                      || v.startsWith("/")
                      || IS_VOLUME_ID.test(v)),
          entry("pve-volume-id-or-absolute-path", v -> v.startsWith("/") || IS_VOLUME_ID.test(v)),
          entry("pve-lxc-mp-string", PveApiSchema::isMountPointString),
          entry("lxc-ip-with-ll-iface", PveApiSchema::isIpWithLinkLocalInterface),
          entry("storage-pair", v -> isIdPair(v, IS_STORAGE_ID)),
          entry("bridge-pair", v -> isIdPair(v, IS_BRIDGE_ID)));

  /** Hash formats that the API viewer names instead of spelling out. */
  private static final Map<String, JsonObject> PROPERTY_FORMATS =
      Map.of("pve-qm-ipconfig", qemuIpConfig());

  private static final Map<String, String> HINTS =
      Map.ofEntries(
          entry("mac-addr", " (unicast XX:XX:XX:XX:XX:XX: the first octet must be even)"),
          entry("urlencoded", " (only -%a-zA-Z0-9_.!~*'() may stay unescaped)"),
          entry("pve-vmid", " (100 to 999999999)"),
          entry("pve-ipv4-config", " (IPv4/CIDR with a prefix of 8 to 32, dhcp or manual)"),
          entry("pve-ipv6-config", " (IPv6/CIDR with a prefix of 8 to 128, auto, dhcp or manual)"),
          entry("CIDRv4", " (prefix of 8 to 32)"),
          entry("CIDRv6", " (prefix of 8 to 128)"),
          entry("pve-tag", " (letters, digits and _-+. not starting with -+.)"));

  // OpenSSH 10 as in Proxmox VE 9: DSA keys are gone
  private static final Set<String> SSH_KEY_TYPES =
      Set.of(
          "ssh-ed25519",
          "ssh-rsa",
          "ecdsa-sha2-nistp256",
          "ecdsa-sha2-nistp384",
          "ecdsa-sha2-nistp521",
          "sk-ssh-ed25519@openssh.com",
          "sk-ecdsa-sha2-nistp256@openssh.com",
          "ssh-ed25519-cert-v01@openssh.com",
          "ssh-rsa-cert-v01@openssh.com",
          "ecdsa-sha2-nistp256-cert-v01@openssh.com",
          "ecdsa-sha2-nistp384-cert-v01@openssh.com",
          "ecdsa-sha2-nistp521-cert-v01@openssh.com",
          "sk-ssh-ed25519-cert-v01@openssh.com",
          "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com");

  private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
  private final Map<String, Optional<Pattern>> patterns = new ConcurrentHashMap<>();
  private final Set<String> unknownFormats = new ConcurrentSkipListSet<>();

  private record Endpoint(String template, List<String> segments, JsonObject methods) {}

  private record Route(Endpoint endpoint, Map<String, String> values) {}

  private PveApiSchema(JsonArray tree) {
    tree.forEach(this::add);
    endpoints.values().forEach(e -> e.methods().values().forEach(this::compilePatterns));
  }

  /**
   * Where {@link #load()} looks: the system property {@value #LOCATION_PROPERTY} or the default.
   */
  public static Path defaultLocation() {
    String configured = System.getProperty(LOCATION_PROPERTY);
    Path file =
        configured == null || configured.isBlank()
            ? Path.of("..", "shared", "proxmox", "pve-api-schema.json")
            : Path.of(configured);
    return file.toAbsolutePath().normalize();
  }

  /** The schema at {@link #defaultLocation()}, or empty when there is no such file. */
  public static Optional<PveApiSchema> load() {
    Path file = defaultLocation();
    return Files.isRegularFile(file) ? Optional.of(read(file)) : Optional.empty();
  }

  static PveApiSchema read(Path file) {
    try (Reader in = Files.newBufferedReader(file, UTF_8);
        JsonReader json = Json.createReader(in)) {
      return new PveApiSchema(json.readArray());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Proxmox API schema " + file, e);
    }
  }

  /**
   * Why Proxmox would refuse the call, one line per broken rule naming the parameter; empty when it
   * would accept it.
   *
   * @param method the HTTP method
   * @param path the path below {@code /api2/json}, such as {@code /nodes/pve1/qemu/100/config}
   * @param params the parameters as the API receives them, after form or query decoding
   */
  public List<String> violations(String method, String path, Map<String, String> params) {
    String verb = method.toUpperCase(Locale.ROOT);
    Optional<Route> route = route(path);
    if (route.isEmpty()) {
      return List.of(verb + " " + path + ": no such path in the Proxmox API");
    }
    Endpoint endpoint = route.get().endpoint();
    JsonValue info = endpoint.methods().get(verb);
    if (!(info instanceof JsonObject call)) {
      return List.of(
          verb
              + " "
              + endpoint.template()
              + ": Proxmox offers no "
              + verb
              + " here"
              + (endpoint.methods().isEmpty()
                  ? ""
                  : " (only " + String.join(", ", endpoint.methods().keySet()) + ")"));
    }
    // as in PVE::APIServer: the values in the path win over parameters of the same name
    Map<String, String> given = new TreeMap<>(params);
    given.putAll(route.get().values());
    Check check = new Check(verb + " " + endpoint.template());
    check.parameters(call.getJsonObject("parameters"), given);
    return List.copyOf(check.messages);
  }

  /**
   * Named formats and schema patterns met so far that this class cannot check: values in them were
   * let through unchecked.
   */
  public Set<String> unknownFormats() {
    return Collections.unmodifiableSet(new TreeSet<>(unknownFormats));
  }

  private void add(JsonValue node) {
    JsonObject tree = node.asJsonObject();
    String template = tree.getString("path");
    JsonObject methods =
        tree.containsKey("info") ? tree.getJsonObject("info") : JsonValue.EMPTY_JSON_OBJECT;
    endpoints.put(template, new Endpoint(template, segments(template), methods));
    JsonValue children = tree.get("children");
    if (children instanceof JsonArray list) {
      list.forEach(this::add);
    }
  }

  private void compilePatterns(JsonValue method) {
    JsonObject parameters = method.asJsonObject().getJsonObject("parameters");
    if (parameters == null || !(parameters.get("properties") instanceof JsonObject properties)) {
      return;
    }
    properties.values().forEach(this::compilePatternsOf);
  }

  private void compilePatternsOf(JsonValue schema) {
    if (!(schema instanceof JsonObject property)) {
      return;
    }
    if (property.get("pattern") instanceof JsonString pattern) {
      pattern(pattern.getString());
    }
    if (property.get("format") instanceof JsonObject format) {
      format.values().forEach(this::compilePatternsOf);
    }
  }

  private Optional<Route> route(String path) {
    List<String> given = segments(path);
    Route best = null;
    String bestShape = null;
    for (Endpoint endpoint : endpoints.values()) {
      List<String> wanted = endpoint.segments();
      if (wanted.size() != given.size()) {
        continue;
      }
      Map<String, String> values = new LinkedHashMap<>();
      StringBuilder shape = new StringBuilder();
      boolean matches = true;
      for (int i = 0; i < wanted.size() && matches; i++) {
        String segment = wanted.get(i);
        String value = uriUnescape(given.get(i));
        if (segment.startsWith("{") && segment.endsWith("}")) {
          matches = !value.isEmpty();
          values.put(segment.substring(1, segment.length() - 1), value);
          shape.append('p');
        } else {
          matches = segment.equals(value);
          shape.append('l');
        }
      }
      // a literal segment beats a parameter in the same place
      if (matches && (bestShape == null || shape.toString().compareTo(bestShape) < 0)) {
        best = new Route(endpoint, values);
        bestShape = shape.toString();
      }
    }
    return Optional.ofNullable(best);
  }

  private static List<String> segments(String path) {
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    return trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("/"));
  }

  /** One call being checked: where it goes and what is wrong with it so far. */
  private final class Check {

    private final String where;
    private final List<String> messages = new ArrayList<>();

    private Check(String where) {
      this.where = where;
    }

    void parameters(JsonObject parameters, Map<String, String> given) {
      if (parameters == null) {
        return;
      }
      JsonValue additional = parameters.get("additionalProperties");
      // Stricter than PVE::JSONSchema::check_prop, which skips the parameters of a method that
      // declares no properties and forbids others (GET /version): a stray parameter there is a
      // mistake all the same.
      JsonObject properties =
          parameters.get("properties") instanceof JsonObject declared
              ? declared
              : JsonValue.EMPTY_JSON_OBJECT;
      boolean allowsOthers = additional == null || truthy(additional);
      Set<String> failed = new HashSet<>();
      for (Map.Entry<String, JsonValue> property : properties.entrySet()) {
        String name = property.getKey();
        if (name.endsWith("[n]")) {
          continue;
        }
        if (!prop(Subject.of(name), given.get(name), property.getValue().asJsonObject())) {
          failed.add(name);
        }
      }
      for (Map.Entry<String, String> parameter : given.entrySet()) {
        String name = parameter.getKey();
        JsonValue schema = properties.get(name);
        if (schema != null) {
          requires(name, schema.asJsonObject(), given);
          continue;
        }
        Optional<String> family = family(properties, name);
        if (family.isEmpty()) {
          if (!allowsOthers) {
            problem(name, "not a parameter of this call");
          }
          failed.add(name);
          continue;
        }
        JsonObject indexed = properties.getJsonObject(family.get());
        Optional<Integer> last = lastIndex(family.get(), indexed);
        int index = Integer.parseInt(name.substring(family.get().length() - 3));
        if (last.isPresent() && index > last.get()) {
          problem(
              name,
              "not a parameter of this call ("
                  + family.get()
                  + " takes n from 0 to "
                  + last.get()
                  + ")");
          failed.add(name);
        } else if (!prop(Subject.of(name), parameter.getValue(), indexed)) {
          failed.add(name);
        }
      }
      sshKeys(given, failed);
    }

    private void requires(String name, JsonObject schema, Map<String, String> given) {
      if (schema.get("requires") instanceof JsonString required
          && !given.containsKey(required.getString())) {
        problem(name, "needs " + required.getString() + " as well");
      }
    }

    /** PVE::JSONSchema::check_prop for one value; true when it passes. */
    boolean prop(Subject subject, String value, JsonObject schema) {
      if (value == null) {
        if (!truthy(schema.get("optional"))
            && !schema.containsKey("alias")
            && !schema.containsKey("group")) {
          messages.add(where + ": " + subject.missing());
          return false;
        }
        return true;
      }
      if (schema.containsKey("oneOf")) {
        return true; // typed variants (SDN fabrics only): not checked
      }
      String type = text(schema.get("type"));
      if (type != null && !typeAccepts(type, value)) {
        bad(
            subject,
            value,
            "boolean".equals(type)
                ? subject.key() == null
                    ? "is not a boolean (Proxmox takes 0 or 1 here)"
                    : "is not a boolean (1, 0, on, off, yes, no, true or false)"
                : "is not " + ("integer".equals(type) ? "an " : "a ") + type);
        return false;
      }
      JsonValue format = schema.get("format");
      if (format != null && !format(subject, value, format)) {
        return false;
      }
      String pattern = text(schema.get("pattern"));
      if (pattern != null) {
        Optional<Pattern> compiled = pattern(pattern);
        if (compiled.isPresent() && !compiled.get().matcher(value).find()) {
          bad(subject, value, "does not match " + pattern);
          return false;
        }
      }
      BigDecimal maxLength = number(schema.get("maxLength"));
      int length = value.codePointCount(0, value.length());
      if (maxLength != null && maxLength.compareTo(BigDecimal.valueOf(length)) < 0) {
        bad(subject, value, "is longer than " + maxLength + " characters");
        return false;
      }
      BigDecimal minLength = number(schema.get("minLength"));
      if (minLength != null && minLength.compareTo(BigDecimal.valueOf(length)) > 0) {
        bad(subject, value, "is shorter than " + minLength + " characters");
        return false;
      }
      if (NUMBER.matcher(value).find()) {
        BigDecimal given = decimal(value);
        BigDecimal maximum = number(schema.get("maximum"));
        if (maximum != null && given.compareTo(maximum) > 0) {
          bad(subject, value, "is above the maximum " + maximum);
          return false;
        }
        BigDecimal minimum = number(schema.get("minimum"));
        if (minimum != null && given.compareTo(minimum) < 0) {
          bad(subject, value, "is below the minimum " + minimum);
          return false;
        }
      }
      if (schema.get("enum") instanceof JsonArray values) {
        List<String> allowed = values.stream().map(PveApiSchema::text).toList();
        if (!allowed.contains(value)) {
          bad(subject, value, "is not one of " + String.join(", ", allowed));
          return false;
        }
      }
      return true;
    }

    /** PVE::JSONSchema::check_format; true when the value passes or cannot be checked. */
    private boolean format(Subject subject, String value, JsonValue format) {
      if (format instanceof JsonObject keys) {
        return propertyString(subject, value, keys);
      }
      String name = text(format);
      if (name == null || name.equals("regex")) {
        return true;
      }
      Matcher parts = FORMAT_NAME.matcher(name);
      parts.matches();
      String base = parts.group(1);
      String kind = parts.group(2);
      if (kind == null && PROPERTY_FORMATS.containsKey(base)) {
        return propertyString(subject, value, PROPERTY_FORMATS.get(base));
      }
      Predicate<String> verifier = FORMATS.get(base);
      if (verifier == null) {
        unknownFormats.add(name);
        return true;
      }
      if ("list".equals(kind)) {
        for (String item : splitList(value)) {
          if (!verifier.test(item)) {
            bad(subject, value, "has '" + item + "', which is not " + named(base) + hint(base));
            return false;
          }
        }
        return true;
      }
      if ("opt".equals(kind) && !perlTrue(value)) {
        return true;
      }
      if (!verifier.test(value)) {
        bad(subject, value, "is not " + named(name) + hint(base));
        return false;
      }
      return true;
    }

    /** PVE::JSONSchema::parse_property_string followed by its check_object. */
    private boolean propertyString(Subject subject, String data, JsonObject format) {
      Map<String, String> keys = new LinkedHashMap<>();
      String defaultKey = null;
      for (String part : data.split(",")) {
        if (part.isBlank()) {
          continue;
        }
        Matcher pair = KEY_VALUE.matcher(part);
        if (pair.find()) {
          String key = pair.group(1);
          String value = pair.group(2);
          if (keys.containsKey(key)) {
            return problem(subject.text(), "key '" + key + "' is given twice");
          }
          JsonObject schema = object(format.get(key));
          if (schema != null && text(schema.get("alias")) != null) {
            String keyAlias = text(schema.get("keyAlias"));
            if (keyAlias != null) {
              if (keys.containsKey(keyAlias)) {
                return problem(
                    subject.text(), "'" + key + "' sets " + keyAlias + ", which is already set");
              }
              keys.put(keyAlias, key);
            }
            key = text(schema.get("alias"));
            schema = object(format.get(key));
          }
          if (schema == null) {
            return problem(
                subject.text(),
                "unknown key '"
                    + key
                    + "' (known: "
                    + format.keySet().stream().sorted().collect(Collectors.joining(", "))
                    + ")");
          }
          if ("boolean".equals(text(schema.get("type")))) {
            value = TRUE.matcher(value).find() ? "1" : FALSE.matcher(value).find() ? "0" : value;
          }
          keys.put(key, value);
        } else if (!part.contains("=")) {
          if (defaultKey != null) {
            return problem(subject.text(), "key '" + defaultKey + "' is given twice");
          }
          for (Map.Entry<String, JsonValue> candidate : format.entrySet()) {
            JsonObject schema = object(candidate.getValue());
            if (schema != null && truthy(schema.get("default_key"))) {
              defaultKey = candidate.getKey();
              if (perlTrue(keys.get(defaultKey))) {
                return problem(subject.text(), "key '" + defaultKey + "' is given twice");
              }
              keys.put(defaultKey, part);
              break;
            }
          }
          if (defaultKey == null) {
            return problem(subject.text(), "'" + part + "' has no key and there is no default key");
          }
        } else {
          return problem(subject.text(), "'" + part + "' has no key or no value");
        }
      }
      boolean passes = true;
      for (Map.Entry<String, JsonValue> key : format.entrySet()) {
        JsonObject schema = object(key.getValue());
        if (schema != null) {
          passes &= prop(subject.key(key.getKey()), keys.get(key.getKey()), schema);
        }
      }
      for (String key : keys.keySet()) {
        JsonObject schema = object(format.get(key));
        String required = schema == null ? null : text(schema.get("requires"));
        if (required != null && !keys.containsKey(required)) {
          passes = problem(subject.text(), key + " needs " + required + " as well");
        }
      }
      return passes;
    }

    /**
     * qemu-server unescapes sshkeys and pve-container takes ssh-public-keys as they are; both run
     * {@code ssh-keygen -l} on every line that is not blank and refuse the call when it fails.
     */
    private void sshKeys(Map<String, String> given, Set<String> failed) {
      for (String name : List.of("sshkeys", "ssh-public-keys")) {
        String value = given.get(name);
        if (value == null || failed.contains(name)) {
          continue;
        }
        String keys = name.equals("sshkeys") ? uriUnescape(value) : value;
        String[] lines = keys.split("\n");
        for (int i = 0; i < lines.length; i++) {
          if (!lines[i].isBlank() && !isOpenSshPublicKey(lines[i])) {
            problem(
                name,
                "line "
                    + (i + 1)
                    + " '"
                    + shorten(lines[i])
                    + "' is not an OpenSSH public key (Proxmox checks each line with ssh-keygen)");
          }
        }
      }
    }

    private void bad(Subject subject, String value, String rule) {
      messages.add(where + ": " + subject.show(value) + " " + rule);
    }

    private boolean problem(String name, String text) {
      messages.add(where + ": " + name + ": " + text);
      return false;
    }
  }

  /** A parameter, or a key inside a parameter's property string. */
  private record Subject(String parameter, String key) {

    static Subject of(String parameter) {
      return new Subject(parameter, null);
    }

    Subject key(String name) {
      return new Subject(parameter, key == null ? name : key + "." + name);
    }

    String text() {
      return key == null ? parameter : parameter + ": " + key;
    }

    String missing() {
      return key == null
          ? parameter + ": required but missing"
          : text() + " is required but missing";
    }

    String show(String value) {
      String shown =
          (parameter + "." + key).toLowerCase(Locale.ROOT).contains("password")
              ? "(hidden)"
              : shorten(value);
      return key == null ? parameter + ": '" + shown + "'" : text() + " '" + shown + "'";
    }
  }

  private Optional<String> family(JsonObject properties, String name) {
    Matcher indexed = INDEXED.matcher(name);
    if (!indexed.matches()) {
      return Optional.empty();
    }
    String family = indexed.group(1) + "[n]";
    return properties.containsKey(family) ? Optional.of(family) : Optional.empty();
  }

  private static Optional<Integer> lastIndex(String family, JsonObject schema) {
    Integer known = LAST_INDEX.get(family.substring(0, family.length() - 3));
    if (known != null) {
      return Optional.of(known);
    }
    Matcher range = RANGE_IN_DESCRIPTION.matcher(String.valueOf(text(schema.get("description"))));
    return range.find() ? Optional.of(Integer.parseInt(range.group(1))) : Optional.empty();
  }

  /** PVE::JSONSchema::check_type for a value that came in as text. */
  private static boolean typeAccepts(String type, String value) {
    return switch (type) {
      case "boolean" -> value.equals("0") || value.equals("1");
      case "integer" -> INTEGER.matcher(value).find();
      case "number" -> NUMBER.matcher(value).find();
      default -> true; // string, and array or object that a form cannot carry: not checked
    };
  }

  private Optional<Pattern> pattern(String perlPattern) {
    return patterns.computeIfAbsent(
        perlPattern,
        p -> {
          try {
            return Optional.of(Pattern.compile("^" + javaRegex(p) + "$", PERL));
          } catch (PatternSyntaxException e) {
            unknownFormats.add("pattern " + p);
            return Optional.empty();
          }
        });
  }

  /**
   * The Java spelling of a Perl pattern as the schema carries it: stringified {@code qr//} groups
   * such as {@code (?^i:...)}, {@code \0}, {@code {,n}} and literal braces and brackets.
   */
  static String javaRegex(String perl) {
    StringBuilder java = new StringBuilder();
    boolean inClass = false;
    int classStart = -1;
    for (int i = 0; i < perl.length(); i++) {
      char c = perl.charAt(i);
      if (c == '\\' && i + 1 < perl.length()) {
        char next = perl.charAt(i + 1);
        boolean octal =
            i + 2 < perl.length() && perl.charAt(i + 2) >= '0' && perl.charAt(i + 2) <= '7';
        java.append(next == '0' && !octal ? "\\x00" : "\\" + next);
        i++;
      } else if (inClass) {
        if (c == ']' && i > classStart) {
          inClass = false;
          java.append(c);
        } else if (c == ']') {
          java.append("\\]");
        } else if (c == '[' || c == '&') {
          java.append('\\').append(c);
        } else {
          java.append(c);
        }
      } else if (c == '[') {
        inClass = true;
        java.append(c);
        classStart = i + 1;
        if (classStart < perl.length() && perl.charAt(classStart) == '^') {
          java.append('^');
          i++;
          classStart++;
        }
      } else if (perl.startsWith("(?^", i) && perl.indexOf(':', i) > 0) {
        int colon = perl.indexOf(':', i);
        String flags = perl.substring(i + 3, colon).replaceAll("[^imsx]", "");
        String off = "imsx".replaceAll("[" + (flags.isEmpty() ? "_" : flags) + "]", "");
        java.append("(?").append(flags).append(off.isEmpty() ? "" : "-" + off).append(':');
        i = colon;
      } else if (c == '{') {
        Matcher quantifier = QUANTIFIER.matcher(perl).region(i, perl.length());
        if (quantifier.lookingAt()
            && !(quantifier.group(1).isEmpty() && quantifier.group(2).isEmpty())) {
          String text = quantifier.group();
          java.append(quantifier.group(1).isEmpty() ? "{0" + text.substring(1) : text);
          i = quantifier.end() - 1;
        } else {
          java.append("\\{");
        }
      } else {
        java.append(c);
      }
    }
    return java.toString();
  }

  private static Predicate<String> perl(String regex) {
    Pattern pattern = Pattern.compile(regex, PERL);
    return value -> pattern.matcher(value).find();
  }

  private static boolean prefixWithin(Pattern cidr, String value, int longest) {
    Matcher m = cidr.matcher(value);
    if (!m.find()) {
      return false;
    }
    BigDecimal prefix = new BigDecimal(m.group(1));
    return prefix.compareTo(BigDecimal.valueOf(7)) > 0
        && prefix.compareTo(BigDecimal.valueOf(longest)) <= 0;
  }

  // pve-container's verify_lxc_mp_string: no /./ or /../, no trailing /. or /.., no leading ../
  private static boolean isMountPointString(String value) {
    return MOUNT_POINT_ESCAPES.stream().noneMatch(escape -> escape.test(value));
  }

  private static boolean isIpWithLinkLocalInterface(String value) {
    Matcher linkLocal = LINK_LOCAL_WITH_IFACE.matcher(value);
    if (linkLocal.find() && IS_IP.test(linkLocal.group(1)) && IS_IFACE.test(linkLocal.group(2))) {
      return true;
    }
    return IS_IP.test(value);
  }

  // PVE::JSONSchema::parse_idmap for one entry of a storage or bridge pair list
  private static boolean isIdPair(String value, Predicate<String> id) {
    if (value.equals("1")) {
      return true;
    }
    Matcher pair = ID_PAIR.matcher(value);
    if (pair.find()) {
      return id.test(pair.group(1)) && id.test(pair.group(2));
    }
    return id.test(value);
  }

  private static boolean isStartupOrder(String value) {
    if (!perlTrue(value)) {
      return false;
    }
    for (String part : value.split(",")) {
      if (!part.isBlank() && STARTUP_ORDER_PARTS.stream().noneMatch(p -> p.test(part))) {
        return false;
      }
    }
    return true;
  }

  /** PVE::Tools::split_list. */
  private static List<String> splitList(String list) {
    if (list.indexOf('\0') >= 0) {
      return Arrays.asList(list.split("\0"));
    }
    String spaced = list.replaceAll("[,;]", " ").strip();
    return spaced.isEmpty() ? List.of() : Arrays.asList(spaced.split("\\s+"));
  }

  /**
   * Whether {@code ssh-keygen -l} would take the line: a known key type followed by base64 whose
   * blob names that same type (and holds a 32-byte key for ed25519); options before it are skipped
   * as ssh-keygen skips authorized_keys options.
   */
  static boolean isOpenSshPublicKey(String line) {
    String[] tokens = line.strip().split("\\s+");
    for (int i = 0; i + 1 < tokens.length; i++) {
      if (SSH_KEY_TYPES.contains(tokens[i])) {
        return blobOfType(tokens[i], tokens[i + 1]);
      }
    }
    return false;
  }

  private static boolean blobOfType(String type, String base64) {
    try {
      ByteBuffer blob = ByteBuffer.wrap(Base64.getDecoder().decode(base64));
      byte[] name = sshString(blob);
      if (name == null || !new String(name, UTF_8).equals(type)) {
        return false;
      }
      if (type.equals("ssh-ed25519")) {
        byte[] key = sshString(blob);
        return key != null && key.length == 32 && !blob.hasRemaining();
      }
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static byte[] sshString(ByteBuffer blob) {
    if (blob.remaining() < 4) {
      return null;
    }
    int length = blob.getInt();
    if (length < 0 || length > blob.remaining()) {
      return null;
    }
    byte[] bytes = new byte[length];
    blob.get(bytes);
    return bytes;
  }

  /** URI::Escape::uri_unescape: every %XX becomes its byte, everything else stays. */
  static String uriUnescape(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Matcher escape = PERCENT.matcher(text);
    int done = 0;
    while (escape.find()) {
      bytes.writeBytes(text.substring(done, escape.start()).getBytes(UTF_8));
      bytes.write(Integer.parseInt(escape.group(1), 16));
      done = escape.end();
    }
    bytes.writeBytes(text.substring(done).getBytes(UTF_8));
    return bytes.toString(UTF_8);
  }

  private static JsonObject qemuIpConfig() {
    // qemu-server's $ipconfig_fmt, registered as pve-qm-ipconfig
    return Json.createObjectBuilder()
        .add(
            "ip",
            Json.createObjectBuilder()
                .add("type", "string")
                .add("format", "pve-ipv4-config")
                .add("optional", 1))
        .add(
            "gw",
            Json.createObjectBuilder()
                .add("type", "string")
                .add("format", "ipv4")
                .add("optional", 1)
                .add("requires", "ip"))
        .add(
            "ip6",
            Json.createObjectBuilder()
                .add("type", "string")
                .add("format", "pve-ipv6-config")
                .add("optional", 1))
        .add(
            "gw6",
            Json.createObjectBuilder()
                .add("type", "string")
                .add("format", "ipv6")
                .add("optional", 1)
                .add("requires", "ip6"))
        .build();
  }

  private static String named(String format) {
    return ("aeioAEIO".indexOf(format.charAt(0)) >= 0 ? "an " : "a ") + format;
  }

  private static String hint(String format) {
    return HINTS.getOrDefault(format, "");
  }

  private static String shorten(String value) {
    return value.length() > 60 ? value.substring(0, 57) + "..." : value;
  }

  private static boolean perlTrue(String value) {
    return value != null && !value.isEmpty() && !value.equals("0");
  }

  private static boolean truthy(JsonValue value) {
    if (value == null) {
      return false;
    }
    return switch (value.getValueType()) {
      case TRUE, OBJECT, ARRAY -> true;
      case NUMBER -> ((JsonNumber) value).bigDecimalValue().signum() != 0;
      case STRING -> perlTrue(((JsonString) value).getString());
      default -> false;
    };
  }

  private static String text(JsonValue value) {
    if (value instanceof JsonString string) {
      return string.getString();
    }
    return value instanceof JsonNumber number ? number.toString() : null;
  }

  private static JsonObject object(JsonValue value) {
    return value instanceof JsonObject object ? object : null;
  }

  private static BigDecimal number(JsonValue value) {
    if (value instanceof JsonNumber number) {
      return number.bigDecimalValue();
    }
    if (value instanceof JsonString string && NUMBER.matcher(string.getString()).find()) {
      return decimal(string.getString());
    }
    return null;
  }

  private static BigDecimal decimal(String perlNumber) {
    String plain = perlNumber.strip();
    plain = plain.startsWith("+") ? plain.substring(1) : plain;
    plain = plain.replace("-.", "-0.");
    plain = plain.startsWith(".") ? "0" + plain : plain;
    plain = plain.replaceFirst("\\.($|[eE])", "$1");
    return new BigDecimal(plain);
  }
}
