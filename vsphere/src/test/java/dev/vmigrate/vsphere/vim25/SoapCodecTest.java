package dev.vmigrate.vsphere.vim25;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmigrate.vsphere.VsphereException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.stream.XMLStreamException;
import org.junit.jupiter.api.Test;

class SoapCodecTest {

  private static XmlNode parse(String xml) throws XMLStreamException {
    return SoapCodec.parse(xml.getBytes(StandardCharsets.UTF_8));
  }

  private static String envelope(String body) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        + "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\""
        + " xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\""
        + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soapenv:Body>"
        + body
        + "</soapenv:Body></soapenv:Envelope>";
  }

  @Test
  void requestEscapesTextAndAttributesAndRoundTrips() throws Exception {
    String nasty = "a<b>&c\"d'e ]]> é \u00e9 \u4e2d";
    XmlElement call =
        XmlElement.of("SetField")
            .addRef("_this", new MoRef("CustomFieldsManager", "CustomFieldsManager"))
            .addRef("entity", new MoRef("Virtual\"Machine<", "vm-1&2"))
            .add("key", 101)
            .add("value", nasty);
    String xml = new String(SoapCodec.request(call), StandardCharsets.UTF_8);

    assertFalse(xml.contains("a<b>"), xml);
    assertTrue(xml.contains("&lt;b&gt;&amp;c"), xml);
    XmlNode root = parse(xml);
    assertEquals("Envelope", root.name());
    XmlNode method = root.child("Body").orElseThrow().children().get(0);
    assertEquals("SetField", method.name());
    assertEquals(nasty, method.text("value"));
    assertEquals(
        new MoRef("Virtual\"Machine<", "vm-1&2"), method.child("entity").orElseThrow().moRef());
  }

  @Test
  void requestPutsTheMethodInTheVim25NamespaceAndWritesXsiType() throws Exception {
    XmlElement call =
        XmlElement.of("RetrievePropertiesEx")
            .addRef("_this", new MoRef("PropertyCollector", "propertyCollector"))
            .add(
                XmlElement.of("specSet")
                    .add(
                        PropertyReader.objectSpec(
                            new MoRef("ContainerView", "session[1]view"),
                            true,
                            PropertyReader.traversal("view", "ContainerView", "view"))));
    String xml = new String(SoapCodec.request(call), StandardCharsets.UTF_8);
    assertTrue(xml.contains("<RetrievePropertiesEx xmlns=\"urn:vim25\">"), xml);
    assertTrue(xml.contains("xsi:type=\"TraversalSpec\""), xml);
    XmlNode sel =
        parse(xml).at("Body.RetrievePropertiesEx.specSet.objectSet.selectSet").orElseThrow();
    assertEquals("TraversalSpec", sel.xsiType());
    assertEquals("view", sel.text("path"));
  }

  @Test
  void controlCharactersThatXmlCannotCarryAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> SoapCodec.request(XmlElement.of("SetField").add("value", "a\u0001b")));
    String ok =
        new String(
            SoapCodec.request(XmlElement.of("SetField").add("value", "tab\tnl\n\uD83D\uDE00")),
            StandardCharsets.UTF_8);
    assertTrue(ok.contains("\uD83D\uDE00"));
  }

  @Test
  void omittedOptionalFieldsAreNotWritten() {
    XmlElement e = XmlElement.of("RegisterVM_Task").add("name", null).addRef("host", null);
    String xml = new String(SoapCodec.request(e), StandardCharsets.UTF_8);
    assertFalse(xml.contains("<name"));
    assertFalse(xml.contains("<host"));
  }

  @Test
  void xsiTypesAreReadByLocalPartWhateverThePrefix() throws Exception {
    XmlNode body =
        SoapCodec.responseBody(
            parse(
                envelope(
                    "<RetrievePropertiesExResponse xmlns=\"urn:vim25\"><returnval><objects>"
                        + "<obj type=\"HostSystem\">host-12</obj>"
                        + "<propSet><name>datastore</name><val xsi:type=\"ArrayOfManagedObjectReference\">"
                        + "<ManagedObjectReference type=\"Datastore\" xsi:type=\"ManagedObjectReference\">datastore-1</ManagedObjectReference>"
                        + "<ManagedObjectReference type=\"Datastore\">datastore-2</ManagedObjectReference>"
                        + "</val></propSet>"
                        + "<propSet><name>parent</name><val xmlns:v=\"urn:vim25\" xsi:type=\"v:ManagedObjectReference\" type=\"ClusterComputeResource\">domain-c7</val></propSet>"
                        + "<propSet><name>name</name><val xsi:type=\"xsd:string\">esx &amp; co</val></propSet>"
                        + "</objects><token>t-1</token></returnval></RetrievePropertiesExResponse>")));
    List<PropertyReader.ObjectContent> objects =
        PropertyReader.objects(body.child("returnval").orElseThrow());
    assertEquals(1, objects.size());
    PropertyReader.ObjectContent o = objects.get(0);
    assertEquals(new MoRef("HostSystem", "host-12"), o.obj());
    assertEquals("ArrayOfManagedObjectReference", o.prop("datastore").xsiType());
    assertEquals(
        List.of(new MoRef("Datastore", "datastore-1"), new MoRef("Datastore", "datastore-2")),
        o.refs("datastore"));
    assertEquals("ManagedObjectReference", o.prop("parent").xsiType());
    assertEquals(new MoRef("ClusterComputeResource", "domain-c7"), o.ref("parent"));
    assertEquals("string", o.prop("name").xsiType());
    assertEquals("esx & co", o.text("name"));
    assertEquals("t-1", body.text("returnval.token"));
  }

  @Test
  void devicesAreToldApartByXsiType() throws Exception {
    XmlNode devices =
        parse(
            "<val xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"ArrayOfVirtualDevice\">"
                + "<VirtualDevice xsi:type=\"VirtualLsiLogicController\"><key>1000</key></VirtualDevice>"
                + "<VirtualDevice xsi:type=\"VirtualDisk\"><key>2000</key><deviceInfo><label>Hard disk 1</label></deviceInfo>"
                + "<backing xsi:type=\"VirtualDiskFlatVer2BackingInfo\"><fileName>[ds 1] web/web.vmdk</fileName>"
                + "<datastore type=\"Datastore\">datastore-9</datastore><diskMode>independent_persistent</diskMode></backing>"
                + "<capacityInKB>1024</capacityInKB><capacityInBytes>1048576</capacityInBytes></VirtualDevice>"
                + "<VirtualDevice xsi:type=\"VirtualDisk\"><key>2001</key><deviceInfo><label>Hard disk 2</label></deviceInfo>"
                + "<backing xsi:type=\"VirtualDiskRawDiskMappingVer1BackingInfo\"><fileName>[ds 1] web/rdm.vmdk</fileName>"
                + "<diskMode>persistent</diskMode></backing><capacityInKB>2048</capacityInKB></VirtualDevice>"
                + "<VirtualDevice xsi:type=\"VirtualVmxnet3\"><key>4000</key><deviceInfo><label>Network adapter 1</label></deviceInfo>"
                + "<backing xsi:type=\"VirtualEthernetCardDistributedVirtualPortBackingInfo\"><port>"
                + "<switchUuid>50 1a</switchUuid><portgroupKey>dvportgroup-13</portgroupKey></port></backing>"
                + "<macAddress>00:50:56:aa:bb:cc</macAddress></VirtualDevice>"
                + "<VirtualDevice xsi:type=\"VirtualE1000\"><key>4001</key><deviceInfo><label>Network adapter 2</label></deviceInfo>"
                + "<backing xsi:type=\"VirtualEthernetCardNetworkBackingInfo\"><deviceName>VM Network</deviceName>"
                + "<network type=\"Network\">network-7</network></backing><macAddress>00:50:56:aa:bb:cd</macAddress></VirtualDevice>"
                + "<VirtualDevice xsi:type=\"VirtualCdrom\"><key>3000</key><backing xsi:type=\"VirtualCdromAtapiBackingInfo\">"
                + "<deviceName>/dev/cdrom</deviceName></backing></VirtualDevice>"
                + "</val>");
    List<XmlNode> d = devices.children();
    assertEquals(Devices.Kind.OTHER, Devices.kind(d.get(0)));
    assertEquals(Devices.Kind.DISK, Devices.kind(d.get(1)));
    assertEquals(Devices.Kind.NIC, Devices.kind(d.get(3)));
    assertEquals(Devices.Kind.CDROM_HOST, Devices.kind(d.get(5)));

    var disk = Devices.disk(d.get(1), java.util.Map.of());
    assertEquals(2000, disk.key());
    assertEquals("datastore-9", disk.datastore());
    assertEquals(1048576, disk.capacityBytes());
    assertEquals(dev.vmigrate.model.DiskMode.INDEPENDENT_PERSISTENT, disk.mode());
    assertFalse(disk.rdm());
    var rdm = Devices.disk(d.get(2), java.util.Map.of("ds 1", "datastore-9"));
    assertTrue(rdm.rdm());
    assertEquals("datastore-9", rdm.datastore(), "datastore from the file name when not given");
    assertEquals(2048 * 1024, rdm.capacityBytes());

    assertEquals("dvportgroup-13", Devices.nic(d.get(3), java.util.Map.of()).network());
    var std = Devices.nic(d.get(4), java.util.Map.of());
    assertEquals("network-7", std.network());
    assertEquals("00:50:56:aa:bb:cd", std.macAddress());
  }

  @Test
  void aNicIsSentBackWithOnlyItsBackingReplaced() throws Exception {
    XmlNode nic =
        parse(
            "<VirtualDevice xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"VirtualVmxnet3\">"
                + "<key>4000</key><deviceInfo><label>Network adapter 1</label></deviceInfo>"
                + "<backing xsi:type=\"VirtualEthernetCardNetworkBackingInfo\"><deviceName>VM Network</deviceName>"
                + "<network type=\"Network\">network-7</network></backing>"
                + "<connectable><startConnected>true</startConnected></connectable>"
                + "<macAddress>00:50:56:aa:bb:cc</macAddress></VirtualDevice>");
    XmlElement device =
        XmlElement.copyOf(nic, "device")
            .replace("backing", Devices.distributedBacking("50 1a", "dvportgroup-13"));
    String xml =
        new String(
            SoapCodec.request(XmlElement.of("X").add(XmlElement.of("deviceChange").add(device))),
            StandardCharsets.UTF_8);
    XmlNode sent = parse(xml).at("Body.X.deviceChange.device").orElseThrow();
    assertEquals("VirtualVmxnet3", sent.xsiType());
    assertEquals(
        List.of("key", "deviceInfo", "backing", "connectable", "macAddress"),
        sent.children().stream().map(XmlNode::name).toList(),
        "schema order kept");
    assertEquals(
        "VirtualEthernetCardDistributedVirtualPortBackingInfo",
        sent.child("backing").orElseThrow().xsiType());
    assertEquals("dvportgroup-13", sent.text("backing.port.portgroupKey"));
    assertEquals("00:50:56:aa:bb:cc", sent.text("macAddress"));
  }

  @Test
  void faultTypeComesFromTheDetailsXsiType() throws Exception {
    SoapFault f =
        assertThrows(
            SoapFault.class,
            () ->
                SoapCodec.responseBody(
                    parse(
                        envelope(
                            "<soapenv:Fault><faultcode>ServerFaultCode</faultcode>"
                                + "<faultstring>The attempted operation cannot be performed in the current state (Powered on).</faultstring>"
                                + "<detail><InvalidStateFault xmlns=\"urn:vim25\" xsi:type=\"InvalidPowerState\">"
                                + "<requestedState>poweredOff</requestedState><existingState>poweredOn</existingState>"
                                + "</InvalidStateFault></detail></soapenv:Fault>"))));
    assertEquals("InvalidPowerState", f.faultType());
    assertTrue(f.getMessage().contains("current state"));
    assertEquals("poweredOn", f.detail().text("existingState"));
    VsphereException e = Faults.toException(f);
    assertInstanceOf(VsphereException.InvalidState.class, e);
    assertEquals("InvalidPowerState", e.fault());
  }

  @Test
  void faultTypeFallsBackToTheDetailElementName() throws Exception {
    SoapFault f =
        assertThrows(
            SoapFault.class,
            () ->
                SoapCodec.responseBody(
                    parse(
                        envelope(
                            "<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring></faultstring>"
                                + "<detail><InvalidLoginFault xmlns=\"urn:vim25\"/></detail></soapenv:Fault>"))));
    assertEquals("InvalidLogin", f.faultType());
    assertEquals("InvalidLogin", f.getMessage());
    SoapFault bare =
        assertThrows(
            SoapFault.class,
            () ->
                SoapCodec.responseBody(
                    parse(
                        envelope(
                            "<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>boom</faultstring></soapenv:Fault>"))));
    assertEquals("SoapFault", bare.faultType());
    assertNull(bare.detail());
  }

  @Test
  void faultsMapToTypedExceptions() {
    assertInstanceOf(
        VsphereException.Authentication.class, Faults.toException("InvalidLogin", "x"));
    assertInstanceOf(VsphereException.Transient.class, Faults.toException("NotAuthenticated", "x"));
    assertInstanceOf(
        VsphereException.NotFound.class, Faults.toException("ManagedObjectNotFound", "x"));
    assertInstanceOf(VsphereException.NotFound.class, Faults.toException("FileNotFound", "x"));
    assertInstanceOf(VsphereException.InvalidState.class, Faults.toException("InvalidState", "x"));
    assertInstanceOf(
        VsphereException.InvalidState.class, Faults.toException("InvalidPowerState", "x"));
    assertInstanceOf(
        VsphereException.InsufficientResources.class,
        Faults.toException("InsufficientResourcesFault", "x"));
    assertInstanceOf(
        VsphereException.InsufficientResources.class, Faults.toException("NoDiskSpace", "x"));
    assertInstanceOf(
        VsphereException.InvalidRequest.class, Faults.toException("InvalidArgument", "x"));
    assertInstanceOf(
        VsphereException.InvalidRequest.class, Faults.toException("DuplicateName", "x"));
    assertInstanceOf(
        VsphereException.InvalidRequest.class, Faults.toException("AlreadyExists", "x"));
    assertInstanceOf(VsphereException.NoPermission.class, Faults.toException("NoPermission", "x"));
    for (String t : List.of("HostCommunication", "TaskInProgress", "Timedout")) {
      VsphereException e = Faults.toException(t, "x");
      assertInstanceOf(VsphereException.Transient.class, e);
      assertTrue(e.retryable());
    }
    VsphereException other = Faults.toException("VmConfigFault", "x");
    assertEquals(VsphereException.class, other.getClass());
    assertFalse(other.retryable());
    assertEquals("VmConfigFault", other.fault());
  }

  @Test
  void aSystemErrorIsPermanentAndEveryPermanentFaultIsNotRetryable() {
    // vCenter repeats a SystemError on every attempt: held at once rather than retried for minutes.
    VsphereException system = Faults.toException("SystemError", "A general system error occurred");
    assertFalse(system.retryable());
    assertFalse(Faults.isTransient("SystemError"));
    assertEquals("SystemError: A general system error occurred", system.getMessage());
    for (String t :
        List.of(
            "InvalidState",
            "InvalidArgument",
            "InvalidPowerState",
            "FileNotFound",
            "InsufficientResourcesFault",
            "NoPermission",
            "InvalidLogin")) {
      assertFalse(Faults.toException(t, "x").retryable(), t);
      assertFalse(Faults.isTransient(t), t);
    }
    for (String t : List.of("HostCommunication", "NotAuthenticated", "ConnectionRefused")) {
      assertTrue(Faults.isTransient(t), t);
    }
    // The table and the exceptions agree for every fault it names.
    Faults.table()
        .forEach(
            (fault, kind) ->
                assertEquals(
                    kind.isTransient(), Faults.toException(fault, "x").retryable(), fault));
    assertFalse(Faults.isTransient("SomeFaultNobodyKnows"));
  }

  @Test
  void externalEntitiesAndDtdsAreRefused() {
    String xxe =
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>";
    assertThrows(XMLStreamException.class, () -> parse(xxe));
  }

  @Test
  void truncatedResponsesAreErrors() {
    assertThrows(XMLStreamException.class, () -> parse("<a><b>text</b>"));
  }
}
