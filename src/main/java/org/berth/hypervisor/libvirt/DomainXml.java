package org.berth.hypervisor.libvirt;

import java.io.IOException;
import java.io.StringReader;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.berth.hypervisor.GuestSpec;
import org.berth.hypervisor.GuestType;
import org.berth.hypervisor.HypervisorFailure;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * The libvirt domain XML of a Berth guest, and what Berth reads back from any domain's XML. Berth's
 * mark is an element of its own namespace in the domain's {@code <metadata>}, naming the request
 * and its owner; the domain's title is the guest's name.
 */
final class DomainXml {

  /** The namespace of Berth's mark in a domain's metadata. */
  static final String NAMESPACE = "urn:berth:guest:1";

  /** What Berth reads from a domain's XML. */
  record Read(String name, String uuid, String title, Long requestId, long memoryMib, String mac) {}

  /**
   * Where a guest's volumes are, as paths on its node.
   *
   * @param kernel the template's kernel for a VM booted directly, or null to boot from the disk
   */
  record Volumes(String disk, String seed, String kernel, String initrd) {}

  private DomainXml() {}

  /**
   * A VM: a QEMU domain with its disk and seed as virtio disks, one virtio NIC, and a serial
   * console ({@code virsh console}) where its boot can be read.
   */
  static String vm(GuestSpec spec, String pool, Volumes volumes, boolean kvm, String uuid) {
    StringBuilder x = head(kvm ? "kvm" : "qemu", spec, uuid);
    x.append("  <os>\n    <type arch='x86_64' machine='pc'>hvm</type>\n");
    if (volumes.kernel() != null) {
      x.append("    <kernel>").append(text(volumes.kernel())).append("</kernel>\n");
      if (volumes.initrd() != null) {
        x.append("    <initrd>").append(text(volumes.initrd())).append("</initrd>\n");
      }
      x.append("    <cmdline>root=/dev/vda ro console=ttyS0</cmdline>\n");
    } else {
      x.append("    <boot dev='hd'/>\n");
    }
    x.append("  </os>\n  <features><acpi/></features>\n");
    x.append("  <on_reboot>restart</on_reboot>\n  <devices>\n");
    x.append("    <disk type='volume' device='disk'><driver name='qemu' type='qcow2'/>")
        .append("<source pool='")
        .append(attribute(pool))
        .append("' volume='")
        .append(attribute(LibvirtHypervisor.diskVolume(spec.ref())))
        .append("'/><target dev='vda' bus='virtio'/></disk>\n");
    // The seed is raw and read-only: snapshots leave it out.
    x.append("    <disk type='volume' device='disk' snapshot='no'><driver name='qemu' type='raw'/>")
        .append("<source pool='")
        .append(attribute(pool))
        .append("' volume='")
        .append(attribute(LibvirtHypervisor.seedVolume(spec.ref().vmid())))
        .append("'/><target dev='vdb' bus='virtio'/><readonly/></disk>\n");
    interfaceOf(x, spec, true);
    x.append("    <serial type='pty'/>\n    <console type='pty'/>\n");
    x.append("  </devices>\n</domain>\n");
    return x.toString();
  }

  /**
   * A container: a libvirt LXC domain whose root is its own copy of the template's file system,
   * mounted through a loop device, with the seed mounted read-only where cloud-init looks.
   */
  static String container(GuestSpec spec, Volumes volumes, String uuid) {
    StringBuilder x = head("lxc", spec, uuid);
    x.append("  <os>\n    <type>exe</type>\n    <init>/sbin/init</init>\n  </os>\n  <devices>\n");
    x.append("    <filesystem type='file' accessmode='passthrough'>")
        .append("<driver type='loop' format='raw'/><source file='")
        .append(attribute(volumes.disk()))
        .append("'/><target dir='/'/></filesystem>\n");
    x.append("    <filesystem type='file' accessmode='passthrough'>")
        .append("<driver type='loop' format='raw'/><source file='")
        .append(attribute(volumes.seed()))
        .append("'/><target dir='")
        .append(CloudInitSeed.CONTAINER_SEED_DIR)
        .append("'/><readonly/></filesystem>\n");
    interfaceOf(x, spec, false);
    x.append("    <console type='pty'/>\n  </devices>\n</domain>\n");
    return x.toString();
  }

  private static StringBuilder head(String type, GuestSpec spec, String uuid) {
    StringBuilder x = new StringBuilder();
    x.append("<domain type='").append(type).append("'>\n");
    x.append("  <name>")
        .append(LibvirtHypervisor.domainName(spec.ref().vmid()))
        .append("</name>\n");
    if (uuid != null) {
      x.append("  <uuid>").append(text(uuid)).append("</uuid>\n");
    }
    x.append("  <title>").append(text(spec.name())).append("</title>\n");
    x.append("  <description>").append(text(spec.description())).append("</description>\n");
    x.append("  <metadata>\n    <berth:guest xmlns:berth='").append(NAMESPACE).append("'>");
    x.append("<berth:request>").append(spec.requestId()).append("</berth:request>");
    x.append("<berth:owner>").append(text(spec.owner())).append("</berth:owner>");
    x.append("</berth:guest>\n  </metadata>\n");
    x.append("  <memory unit='MiB'>").append(spec.memoryMib()).append("</memory>\n");
    x.append("  <vcpu>").append(spec.cores()).append("</vcpu>\n");
    return x;
  }

  private static void interfaceOf(StringBuilder x, GuestSpec spec, boolean virtio) {
    x.append("    <interface type='bridge'><mac address='")
        .append(attribute(spec.mac().toLowerCase(java.util.Locale.ROOT)))
        .append("'/><source bridge='")
        .append(attribute(spec.bridge()))
        .append("'/>");
    if (virtio) {
      x.append("<model type='virtio'/>");
    }
    x.append("</interface>\n");
  }

  /** Reads a domain's XML as {@code virsh dumpxml} writes it. */
  static Read read(String xml) {
    Document d = parse(xml);
    Element root = d.getDocumentElement();
    Long request = null;
    NodeList marks = root.getElementsByTagNameNS(NAMESPACE, "request");
    if (marks.getLength() > 0) {
      try {
        request = Long.valueOf(marks.item(0).getTextContent().strip());
      } catch (NumberFormatException e) {
        request = null; // a mark Berth did not write
      }
    }
    long memoryKib = child(root, "memory").map(DomainXml::kib).orElse(0L);
    String mac =
        child(root, "devices")
            .flatMap(devices -> child(devices, "interface"))
            .flatMap(nic -> child(nic, "mac"))
            .map(m -> m.getAttribute("address"))
            .filter(a -> !a.isEmpty())
            .orElse(null);
    return new Read(
        child(root, "name").map(Element::getTextContent).orElse(""),
        child(root, "uuid").map(Element::getTextContent).orElse(null),
        child(root, "title").map(Element::getTextContent).orElse(null),
        request,
        memoryKib / 1024,
        mac);
  }

  /** A size in KiB, from its number and libvirt's {@code unit} (KiB when there is none). */
  private static long kib(Element size) {
    long n;
    try {
      n = Long.parseLong(size.getTextContent().strip());
    } catch (NumberFormatException e) {
      return 0;
    }
    return switch (size.getAttribute("unit")) {
      case "b", "bytes" -> n / 1024;
      case "MiB", "M" -> n * 1024;
      case "GiB", "G" -> n * 1024 * 1024;
      default -> n;
    };
  }

  /**
   * The snapshots in the output of {@code virsh snapshot-dumpxml}, one document after another. Each
   * is read from its own elements, not from those of the domain it holds.
   */
  static java.util.List<org.berth.hypervisor.Snapshot> snapshots(String dumps) {
    java.util.List<org.berth.hypervisor.Snapshot> out = new java.util.ArrayList<>();
    for (String piece : dumps.split("</domainsnapshot>")) {
      int start = piece.indexOf("<domainsnapshot");
      if (start < 0) {
        continue; // what follows the last document, or no document at all
      }
      Element root = parse(piece.substring(start) + "</domainsnapshot>").getDocumentElement();
      Optional<String> name = child(root, "name").map(Element::getTextContent);
      if (name.isEmpty()) {
        continue;
      }
      String created = child(root, "creationTime").map(e -> e.getTextContent().strip()).orElse("");
      out.add(
          new org.berth.hypervisor.Snapshot(
              name.get(),
              child(root, "description").map(Element::getTextContent).orElse(""),
              created.matches("\\d{1,12}")
                  ? java.time.Instant.ofEpochSecond(Long.parseLong(created))
                  : null,
              child(root, "state")
                  .map(e -> e.getTextContent().strip())
                  .filter("running"::equals)
                  .isPresent()));
    }
    return out;
  }

  private static Optional<Element> child(Element parent, String name) {
    NodeList children = parent.getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      if (children.item(i) instanceof Element e && name.equals(e.getTagName())) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  private static Document parse(String xml) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setExpandEntityReferences(false);
      DocumentBuilder builder = factory.newDocumentBuilder();
      return builder.parse(new InputSource(new StringReader(xml)));
    } catch (ParserConfigurationException | SAXException | IOException e) {
      throw new HypervisorFailure("libvirt returned domain XML Berth cannot read: " + e, false);
    }
  }

  /**
   * A volume made as a copy of another: an allocation of 0 asks libvirt for a sparse copy, which
   * takes only the space the original's data takes.
   */
  static String volume(String name, String format) {
    return "<volume><name>"
        + text(name)
        + "</name><allocation>0</allocation><target><format type='"
        + attribute(format)
        + "'/></target></volume>";
  }

  static String text(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  static String attribute(String s) {
    return text(s).replace("'", "&apos;").replace("\"", "&quot;");
  }

  /** Whether the spec is for a container. */
  static boolean isContainer(GuestSpec spec) {
    return spec.ref().type() == GuestType.CONTAINER;
  }
}
