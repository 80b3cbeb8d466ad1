package dev.vmigrate.vsphere.vim25;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builders for PropertyCollector specs and the parser of their results. Property values keep their
 * XML form ({@link XmlNode}) so that polymorphic values are read by {@code xsi:type} where used.
 */
final class PropertyReader {
  private PropertyReader() {}

  /** One object's properties from a RetrievePropertiesEx result. */
  record ObjectContent(MoRef obj, Map<String, XmlNode> props, Map<String, String> missing) {

    XmlNode prop(String path) {
      return props.get(path);
    }

    String text(String path) {
      XmlNode n = props.get(path);
      return n == null ? null : n.text();
    }

    MoRef ref(String path) {
      XmlNode n = props.get(path);
      return n == null || n.attribute("type") == null ? null : n.moRef();
    }

    /** An ArrayOfManagedObjectReference property as a list (empty when unset). */
    List<MoRef> refs(String path) {
      XmlNode n = props.get(path);
      List<MoRef> out = new ArrayList<>();
      if (n != null) {
        for (XmlNode c : n.children()) {
          if (c.attribute("type") != null) {
            out.add(c.moRef());
          }
        }
      }
      return out;
    }

    boolean bool(String path) {
      return Boolean.parseBoolean(text(path));
    }

    long number(String path, long fallback) {
      String t = text(path);
      return t == null || t.isBlank() ? fallback : Long.parseLong(t.trim());
    }
  }

  static XmlElement propertySpec(String type, String... paths) {
    XmlElement ps = XmlElement.of("propSet").add("type", type).add("all", false);
    for (String p : paths) {
      ps.add("pathSet", p);
    }
    return ps;
  }

  static XmlElement traversal(String name, String type, String path, XmlElement... nested) {
    XmlElement t =
        XmlElement.of("selectSet")
            .type("TraversalSpec")
            .add("name", name)
            .add("type", type)
            .add("path", path)
            .add("skip", false);
    for (XmlElement n : nested) {
      t.add(n);
    }
    return t;
  }

  static XmlElement objectSpec(MoRef obj, boolean skip, XmlElement... selectSet) {
    XmlElement o = XmlElement.of("objectSet").addRef("obj", obj).add("skip", skip);
    for (XmlElement s : selectSet) {
      o.add(s);
    }
    return o;
  }

  /** A PropertyFilterSpec: propSet elements first, then objectSet elements (schema order). */
  static XmlElement filterSpec(List<XmlElement> propSets, List<XmlElement> objectSets) {
    XmlElement spec = XmlElement.of("specSet");
    propSets.forEach(spec::add);
    objectSets.forEach(spec::add);
    return spec;
  }

  /** Reads the objects of a RetrieveResult ({@code returnval}), or none. */
  static List<ObjectContent> objects(XmlNode returnval) {
    List<ObjectContent> out = new ArrayList<>();
    if (returnval == null) {
      return out;
    }
    for (XmlNode o : returnval.children("objects")) {
      MoRef obj = o.child("obj").map(XmlNode::moRef).orElseThrow();
      Map<String, XmlNode> props = new HashMap<>();
      for (XmlNode p : o.children("propSet")) {
        p.child("val").ifPresent(v -> props.put(p.text("name"), v));
      }
      Map<String, String> missing = new HashMap<>();
      for (XmlNode m : o.children("missingSet")) {
        String fault = m.at("fault.fault").map(XmlNode::type).orElse("unknown");
        missing.put(m.text("path"), fault);
      }
      out.add(new ObjectContent(obj, props, missing));
    }
    return out;
  }
}
