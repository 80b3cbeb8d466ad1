package dev.vmigrate.vsphere.vim25;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes vim25 SOAP 1.1 request envelopes and reads responses and faults, on the JDK's StAX.
 * Parsing refuses DTDs and external entities, which vCenter never sends.
 */
public final class SoapCodec {
  static final String SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/";
  static final String VIM25 = "urn:vim25";
  static final String XSD = "http://www.w3.org/2001/XMLSchema";

  private static final XMLOutputFactory OUTPUT = XMLOutputFactory.newFactory();
  private static final XMLInputFactory INPUT = newInputFactory();

  private SoapCodec() {}

  private static XMLInputFactory newInputFactory() {
    XMLInputFactory f = XMLInputFactory.newFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    f.setProperty(XMLInputFactory.IS_COALESCING, true);
    return f;
  }

  /** The request envelope for one method call; {@code call}'s name is the vim25 method name. */
  public static byte[] request(XmlElement call) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try {
      XMLStreamWriter w = OUTPUT.createXMLStreamWriter(out, "UTF-8");
      w.writeStartDocument("UTF-8", "1.0");
      w.setPrefix("soapenv", SOAP_ENV);
      w.writeStartElement("soapenv", "Envelope", SOAP_ENV);
      w.writeNamespace("soapenv", SOAP_ENV);
      w.writeNamespace("xsd", XSD);
      w.writeNamespace("xsi", XmlElement.XSI);
      w.writeStartElement("soapenv", "Body", SOAP_ENV);
      // The method element declares vim25 as the default namespace for everything below it.
      w.writeStartElement(call.name());
      w.writeDefaultNamespace(VIM25);
      for (XmlElement c : call.children()) {
        c.write(w);
      }
      w.writeEndElement();
      w.writeEndElement();
      w.writeEndElement();
      w.writeEndDocument();
      w.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("cannot write SOAP request " + call.name(), e);
    }
    return out.toByteArray();
  }

  /** Parses any XML document into its root element. */
  public static XmlNode parse(byte[] xml) throws XMLStreamException {
    XMLStreamReader r = INPUT.createXMLStreamReader(new ByteArrayInputStream(xml));
    try {
      while (r.hasNext()) {
        if (r.next() == XMLStreamConstants.START_ELEMENT) {
          return readElement(r);
        }
      }
      throw new XMLStreamException("no root element");
    } finally {
      r.close();
    }
  }

  private static XmlNode readElement(XMLStreamReader r) throws XMLStreamException {
    String name = r.getLocalName();
    String xsiType = null;
    Map<String, String> attributes = Map.of();
    int count = r.getAttributeCount();
    for (int i = 0; i < count; i++) {
      String ns = r.getAttributeNamespace(i);
      String local = r.getAttributeLocalName(i);
      if (XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI.equals(ns) && "type".equals(local)) {
        xsiType = localPart(r.getAttributeValue(i));
      } else if (attributes.isEmpty()) {
        // Most vim25 elements have no attribute or only a MoRef's "type": no map for them.
        attributes = Map.of(local, r.getAttributeValue(i));
      } else {
        Map<String, String> more = new HashMap<>(attributes);
        more.put(local, r.getAttributeValue(i));
        attributes = more;
      }
    }
    String text = "";
    StringBuilder more = null;
    List<XmlNode> children = List.of();
    while (true) {
      int event = r.next();
      switch (event) {
        case XMLStreamConstants.START_ELEMENT -> {
          if (children.isEmpty()) {
            children = new ArrayList<>(4);
          }
          children.add(readElement(r));
        }
        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> {
          if (text.isEmpty()) {
            text = r.getText();
          } else {
            if (more == null) {
              more = new StringBuilder(text);
            }
            more.append(r.getText());
          }
        }
        case XMLStreamConstants.END_ELEMENT -> {
          return new XmlNode(
              name, xsiType, attributes, more == null ? text : more.toString(), children);
        }
        case XMLStreamConstants.END_DOCUMENT -> throw new XMLStreamException("truncated XML");
        default -> {}
      }
    }
  }

  // "vim25:ManagedObjectReference" and "xsd:string" name types by their local part.
  private static String localPart(String qname) {
    int colon = qname.indexOf(':');
    return colon < 0 ? qname : qname.substring(colon + 1);
  }

  /**
   * The content of a response body: the method's response element, or a {@link SoapFault} when the
   * body holds a fault.
   */
  public static XmlNode responseBody(XmlNode envelope) throws SoapFault {
    XmlNode body =
        envelope
            .child("Body")
            .orElseThrow(() -> new SoapFault("InvalidResponse", "no SOAP Body", null));
    if (body.children().isEmpty()) {
      throw new SoapFault("InvalidResponse", "empty SOAP Body", null);
    }
    XmlNode first = body.children().get(0);
    if (first.name().equals("Fault")) {
      throw fault(first);
    }
    return first;
  }

  /**
   * Reads a soapenv:Fault: the vim25 fault type is the detail element's {@code xsi:type}, or its
   * name without the "Fault" suffix vCenter appends.
   */
  public static SoapFault fault(XmlNode fault) {
    String message = fault.text("faultstring");
    XmlNode detail =
        fault.child("detail").flatMap(d -> d.children().stream().findFirst()).orElse(null);
    String type;
    if (detail == null) {
      type = "SoapFault";
    } else if (detail.xsiType() != null) {
      type = detail.xsiType();
    } else if (detail.name().endsWith("Fault") && detail.name().length() > "Fault".length()) {
      type = detail.name().substring(0, detail.name().length() - "Fault".length());
    } else {
      type = detail.name();
    }
    return new SoapFault(type, message == null || message.isBlank() ? type : message, detail);
  }
}
