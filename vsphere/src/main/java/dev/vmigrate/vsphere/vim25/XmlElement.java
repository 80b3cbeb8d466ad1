package dev.vmigrate.vsphere.vim25;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * An element of a vim25 request, built in schema order and written through StAX, which escapes
 * every text and attribute value. Elements are written in the vim25 default namespace.
 */
public final class XmlElement {
  static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";

  private final String name;
  private String xsiType;
  private String text;
  private final Map<String, String> attributes = new LinkedHashMap<>();
  private final List<XmlElement> children = new ArrayList<>();

  private XmlElement(String name) {
    this.name = name;
  }

  public static XmlElement of(String name) {
    return new XmlElement(name);
  }

  /** A leaf element with text content. */
  public static XmlElement text(String name, Object value) {
    XmlElement e = new XmlElement(name);
    e.text = String.valueOf(value);
    return e;
  }

  /** A ManagedObjectReference element: {@code <name type="VirtualMachine">vm-42</name>}. */
  public static XmlElement moRef(String name, MoRef ref) {
    XmlElement e = text(name, ref.value());
    e.attributes.put("type", ref.type());
    return e;
  }

  /** A copy of a parsed element, to send back an object read from vCenter (e.g. a device). */
  public static XmlElement copyOf(XmlNode node) {
    return copyOf(node, node.name());
  }

  /** A copy of a parsed element under another element name, keeping its {@code xsi:type}. */
  public static XmlElement copyOf(XmlNode node, String name) {
    XmlElement e = new XmlElement(name);
    e.xsiType = node.xsiType();
    e.attributes.putAll(node.attributes());
    if (node.children().isEmpty()) {
      e.text = node.text();
    }
    for (XmlNode c : node.children()) {
      e.children.add(copyOf(c));
    }
    return e;
  }

  public String name() {
    return name;
  }

  public XmlElement type(String type) {
    this.xsiType = type;
    return this;
  }

  public XmlElement add(XmlElement child) {
    children.add(child);
    return this;
  }

  /** Adds a text child unless the value is null (an optional field left out). */
  public XmlElement add(String childName, Object value) {
    if (value != null) {
      children.add(text(childName, value));
    }
    return this;
  }

  /** Adds a ManagedObjectReference child unless the reference is null. */
  public XmlElement addRef(String childName, MoRef ref) {
    if (ref != null) {
      children.add(moRef(childName, ref));
    }
    return this;
  }

  /** Replaces the first child with the given name, keeping its position (schema order). */
  public XmlElement replace(String childName, XmlElement replacement) {
    for (int i = 0; i < children.size(); i++) {
      if (children.get(i).name.equals(childName)) {
        children.set(i, replacement);
        return this;
      }
    }
    children.add(replacement);
    return this;
  }

  public List<XmlElement> children() {
    return List.copyOf(children);
  }

  /** XML 1.0 cannot carry most control characters, escaped or not: refuse them before sending. */
  static String checkXmlChars(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          c == '\t'
              || c == '\n'
              || c == '\r'
              || (c >= 0x20 && c <= 0xD7FF)
              || (c >= 0xE000 && c <= 0xFFFD)
              || Character.isSurrogate(c);
      if (!ok) {
        throw new IllegalArgumentException(
            String.format("character U+%04X cannot be sent in XML", (int) c));
      }
    }
    return s;
  }

  void write(XMLStreamWriter w) throws XMLStreamException {
    if (children.isEmpty() && text == null) {
      w.writeEmptyElement(name);
      writeAttributes(w);
      return;
    }
    w.writeStartElement(name);
    writeAttributes(w);
    if (text != null) {
      w.writeCharacters(checkXmlChars(text));
    }
    for (XmlElement c : children) {
      c.write(w);
    }
    w.writeEndElement();
  }

  private void writeAttributes(XMLStreamWriter w) throws XMLStreamException {
    if (xsiType != null) {
      w.writeAttribute("xsi", XSI, "type", xsiType);
    }
    for (Map.Entry<String, String> a : attributes.entrySet()) {
      w.writeAttribute(a.getKey(), checkXmlChars(a.getValue()));
    }
  }
}
