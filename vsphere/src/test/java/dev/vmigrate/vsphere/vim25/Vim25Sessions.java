package dev.vmigrate.vsphere.vim25;

import java.util.ArrayList;
import java.util.List;

/** Test helper: ends sessions on the server side, as vCenter's session timeout does. */
public final class Vim25Sessions {
  private Vim25Sessions() {}

  /**
   * Terminates every session of the vCenter except the admin gateway's own (TerminateSession).
   *
   * @return how many sessions were terminated
   */
  public static int terminateOthers(Vim25Gateway admin) {
    MoRef sm = admin.serviceContent().sessionManager();
    PropertyReader.ObjectContent o =
        admin
            .retrieve(
                List.of(
                    PropertyReader.propertySpec("SessionManager", "sessionList", "currentSession")),
                List.of(PropertyReader.objectSpec(sm, false)))
            .get(0);
    String own = o.prop("currentSession").text("key");
    List<String> others = new ArrayList<>();
    XmlNode list = o.prop("sessionList");
    if (list != null) {
      for (XmlNode s : list.children()) {
        if (!s.text("key").equals(own)) {
          others.add(s.text("key"));
        }
      }
    }
    if (!others.isEmpty()) {
      XmlElement call = XmlElement.of("TerminateSession").addRef("_this", sm);
      others.forEach(k -> call.add("sessionId", k));
      admin.invoke(call);
    }
    return others.size();
  }
}
