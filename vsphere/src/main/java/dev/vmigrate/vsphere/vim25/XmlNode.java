package dev.vmigrate.vsphere.vim25;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One element of a parsed vim25 response: local name, {@code xsi:type} (local part, or null),
 * attributes by local name, text and child elements. Namespaces are dropped because vim25 uses a
 * single one.
 *
 * @param name the element's local name
 * @param xsiType the local part of its {@code xsi:type}, or null when absent
 * @param attributes attributes by local name (without {@code xsi:type})
 * @param text the concatenated character content, trimmed of nothing
 * @param children child elements in document order
 */
public record XmlNode(
    String name,
    String xsiType,
    Map<String, String> attributes,
    String text,
    List<XmlNode> children) {

  public XmlNode {
    attributes = Map.copyOf(attributes);
    children = List.copyOf(children);
  }

  /** The runtime type: the {@code xsi:type} when present, else the element name. */
  public String type() {
    return xsiType != null ? xsiType : name;
  }

  public String attribute(String localName) {
    return attributes.get(localName);
  }

  /** The first child with this name. */
  public Optional<XmlNode> child(String childName) {
    for (XmlNode c : children) {
      if (c.name.equals(childName)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /** All children with this name, in document order. */
  public List<XmlNode> children(String childName) {
    List<XmlNode> out = new ArrayList<>();
    for (XmlNode c : children) {
      if (c.name.equals(childName)) {
        out.add(c);
      }
    }
    return out;
  }

  /**
   * The text of the child at a dotted path ("deviceInfo.label"), or null when any step is absent.
   */
  public String text(String path) {
    return at(path).map(XmlNode::text).orElse(null);
  }

  /** The descendant at a dotted path of child names. */
  public Optional<XmlNode> at(String path) {
    XmlNode n = this;
    for (String step : path.split("\\.")) {
      Optional<XmlNode> next = n.child(step);
      if (next.isEmpty()) {
        return Optional.empty();
      }
      n = next.get();
    }
    return Optional.of(n);
  }

  public long longValue(String path, long fallback) {
    String t = text(path);
    return t == null || t.isBlank() ? fallback : Long.parseLong(t.trim());
  }

  public boolean booleanValue(String path) {
    return Boolean.parseBoolean(text(path));
  }

  /** This element read as a ManagedObjectReference ({@code type} attribute and text). */
  public MoRef moRef() {
    return new MoRef(attribute("type"), text);
  }
}
