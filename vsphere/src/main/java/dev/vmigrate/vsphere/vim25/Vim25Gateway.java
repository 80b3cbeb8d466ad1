package dev.vmigrate.vsphere.vim25;

import static dev.vmigrate.vsphere.vim25.PropertyReader.filterSpec;
import static dev.vmigrate.vsphere.vim25.PropertyReader.objectSpec;
import static dev.vmigrate.vsphere.vim25.PropertyReader.propertySpec;
import static dev.vmigrate.vsphere.vim25.PropertyReader.traversal;

import dev.vmigrate.model.DiskLocator;
import dev.vmigrate.model.NicBackingChange;
import dev.vmigrate.vsphere.DatastoreInfo;
import dev.vmigrate.vsphere.HostInfo;
import dev.vmigrate.vsphere.Inventory;
import dev.vmigrate.vsphere.MigrationMarks;
import dev.vmigrate.vsphere.RegisterSpec;
import dev.vmigrate.vsphere.RelocateCheck;
import dev.vmigrate.vsphere.RelocateSpec;
import dev.vmigrate.vsphere.TaskInfo;
import dev.vmigrate.vsphere.TaskPolling;
import dev.vmigrate.vsphere.TaskRef;
import dev.vmigrate.vsphere.VmInfo;
import dev.vmigrate.vsphere.VsphereException;
import dev.vmigrate.vsphere.VsphereGateway;
import dev.vmigrate.vsphere.vim25.PropertyReader.ObjectContent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link VsphereGateway} over vCenter's vim25 SOAP API. Logs in lazily, logs in again once when a
 * call fails with NotAuthenticated (an expired session), reads the inventory through a
 * ContainerView with RetrievePropertiesEx pages, and maps SOAP faults to typed {@link
 * VsphereException}s. Thread-safe.
 *
 * <p>This class holds the reads and operations; the session is {@link Vim25Session}'s and the
 * mapping of property-collector results to records is {@link InventoryAssembler}'s.
 */
public final class Vim25Gateway implements VsphereGateway, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Vim25Gateway.class);

  /** Objects per RetrievePropertiesEx page: a 1,000-VM inventory takes a few pages. */
  static final int PAGE_SIZE = 500;

  private final Map<String, String> knownTypes = new ConcurrentHashMap<>();
  private final Vim25Session session;

  public Vim25Gateway(Vim25Connection connection) {
    this(connection, SoapCallObserver.NONE);
  }

  /** A gateway that tells {@code observer} about every SOAP call, for the process's metrics. */
  public Vim25Gateway(Vim25Connection connection, SoapCallObserver observer) {
    this.session = new Vim25Session(connection, observer);
  }

  @Override
  public String vcenterId() {
    return session.connection().id();
  }

  /** SOAP round trips made so far (RetrieveServiceContent and Login included). */
  public int roundTrips() {
    return session.roundTrips();
  }

  // ---- session: see Vim25Session ----

  /** Logs in now rather than at the first call, surfacing bad credentials early. */
  public void login() {
    session.login();
  }

  /** Ends the session; later calls log in again. */
  public void logout() {
    session.logout();
  }

  /** SessionIsActive for this gateway's own session. */
  public boolean sessionActive() {
    return session.sessionActive();
  }

  @Override
  public void close() {
    session.close();
  }

  Vim25Session.ServiceContent serviceContent() {
    return session.serviceContent();
  }

  /** One call in the session, logging in (again) as needed: see {@link Vim25Session#invoke}. */
  XmlNode invoke(XmlElement call) {
    return session.invoke(call);
  }

  /**
   * The managed object reference for an id: typed from what responses said, else from vCenter's id
   * prefixes, else by reading the inventory once (vcsim names datastores by their directory).
   */
  MoRef refOf(String id) {
    String type = knownTypes.get(id);
    if (type != null) {
      return new MoRef(type, id);
    }
    try {
      return MoRef.of(id);
    } catch (IllegalArgumentException e) {
      inventory();
      type = knownTypes.get(id);
      if (type == null) {
        throw new VsphereException.NotFound("ManagedObjectNotFound", "no managed object " + id);
      }
      return new MoRef(type, id);
    }
  }

  private void learn(MoRef ref) {
    if (ref != null) {
      knownTypes.put(ref.value(), ref.type());
    }
  }

  // ---- property reads ----

  /** RetrievePropertiesEx and as many ContinueRetrievePropertiesEx as there are pages. */
  List<ObjectContent> retrieve(List<XmlElement> propSets, List<XmlElement> objectSets) {
    Vim25Session.ServiceContent sc = serviceContent();
    XmlNode res =
        invoke(
            XmlElement.of("RetrievePropertiesEx")
                .addRef("_this", sc.propertyCollector())
                .add(filterSpec(propSets, objectSets))
                .add(XmlElement.of("options").add("maxObjects", PAGE_SIZE)));
    List<ObjectContent> out = new ArrayList<>();
    XmlNode page = res.child("returnval").orElse(null);
    while (page != null) {
      List<ObjectContent> objects = PropertyReader.objects(page);
      objects.forEach(o -> learn(o.obj()));
      out.addAll(objects);
      String token = page.text("token");
      if (token == null || token.isBlank()) {
        break;
      }
      page =
          invoke(
                  XmlElement.of("ContinueRetrievePropertiesEx")
                      .addRef("_this", sc.propertyCollector())
                      .add("token", token))
              .child("returnval")
              .orElse(null);
    }
    return out;
  }

  private ObjectContent one(MoRef obj, String type, String... paths) {
    List<ObjectContent> r =
        retrieve(List.of(propertySpec(type, paths)), List.of(objectSpec(obj, false)));
    return r.stream()
        .filter(o -> o.obj().value().equals(obj.value()))
        .findFirst()
        .orElseThrow(
            () ->
                new VsphereException.NotFound(
                    "ManagedObjectNotFound", "no " + type + " " + obj.value()));
  }

  @Override
  public Inventory inventory() {
    return snapshot(true);
  }

  @Override
  public Inventory infrastructure() {
    return snapshot(false);
  }

  @Override
  public Map<String, String> vmCustomValues(String key) {
    List<ObjectContent> objects =
        throughView(
            List.of("VirtualMachine"),
            List.of(
                propertySpec("VirtualMachine", "customValue"),
                propertySpec("CustomFieldsManager", "field")));
    Map<Integer, String> fieldNames = InventoryAssembler.customFieldNames(objects);
    Map<String, String> values = new LinkedHashMap<>();
    for (ObjectContent o : objects) {
      if (o.obj().type().equals("VirtualMachine")) {
        String value = InventoryAssembler.customValues(o, fieldNames).get(key);
        if (value != null && !value.isEmpty()) {
          values.put(o.obj().value(), value);
        }
      }
    }
    return values;
  }

  @Override
  public MigrationMarks migrationMarks() {
    List<ObjectContent> objects =
        throughView(
            List.of("VirtualMachine", "Datastore"),
            List.of(
                propertySpec(
                    "VirtualMachine",
                    "name",
                    "config.instanceUuid",
                    "runtime.powerState",
                    "runtime.host",
                    "resourcePool",
                    "config.files.vmPathName",
                    "customValue"),
                propertySpec("Datastore", "name", "customValue"),
                propertySpec("CustomFieldsManager", "field")));
    Map<Integer, String> fieldNames = InventoryAssembler.customFieldNames(objects);
    Map<String, String> datastoreIds = new HashMap<>();
    for (ObjectContent o : objects) {
      if (o.obj().type().equals("Datastore")) {
        datastoreIds.put(o.text("name"), o.obj().value());
      }
    }
    List<MigrationMarks.MarkedVm> vms = new ArrayList<>();
    List<MigrationMarks.MarkedDatastore> datastores = new ArrayList<>();
    for (ObjectContent o : objects) {
      Map<String, String> marks =
          MigrationMarks.ofVmigrate(InventoryAssembler.customValues(o, fieldNames));
      if (marks.isEmpty()) {
        continue;
      }
      if (o.obj().type().equals("VirtualMachine")) {
        String vmxName = InventoryAssembler.datastoreName(o.text("config.files.vmPathName"));
        MoRef host = o.ref("runtime.host");
        MoRef pool = o.ref("resourcePool");
        vms.add(
            new MigrationMarks.MarkedVm(
                o.obj().value(),
                o.text("name"),
                o.text("config.instanceUuid"),
                InventoryAssembler.powerState(o.text("runtime.powerState")),
                host == null ? null : host.value(),
                pool == null ? null : pool.value(),
                vmxName == null ? null : datastoreIds.get(vmxName),
                marks));
      } else if (o.obj().type().equals("Datastore")) {
        datastores.add(new MigrationMarks.MarkedDatastore(o.obj().value(), o.text("name"), marks));
      }
    }
    return new MigrationMarks(vcenterId(), vms, datastores);
  }

  @Override
  public Optional<VmInfo> findVmInFolder(String folderId, String name) {
    XmlNode res =
        invoke(
            XmlElement.of("FindChild")
                .addRef("_this", serviceContent().searchIndex())
                .addRef("entity", refOf(folderId))
                .add("name", name));
    Optional<MoRef> ref = res.child("returnval").map(XmlNode::moRef);
    ref.ifPresent(this::learn);
    return ref.filter(r -> r.type().equals("VirtualMachine")).map(r -> vm(r.value()));
  }

  /**
   * The inventory through one container view, with or without the VMs (whose properties, devices
   * above all, make up most of the bytes on a large vCenter).
   */
  private Inventory snapshot(boolean withVms) {
    List<String> types =
        new ArrayList<>(
            List.of(
                "Datacenter",
                "Folder",
                "ClusterComputeResource",
                "HostSystem",
                "ResourcePool",
                "Datastore",
                "Network",
                "DistributedVirtualSwitch"));
    List<XmlElement> propSets =
        new ArrayList<>(
            List.of(
                propertySpec("Datacenter", "name", "vmFolder", "parent"),
                propertySpec("Folder", "name", "parent", "childType"),
                propertySpec("ClusterComputeResource", "name", "parent", "resourcePool", "host"),
                propertySpec("HostSystem", InventoryAssembler.HOST_PROPS),
                propertySpec("ResourcePool", "name", "owner", "parent"),
                propertySpec("Datastore", InventoryAssembler.DATASTORE_PROPS),
                propertySpec("Network", "name"),
                propertySpec(
                    "DistributedVirtualPortgroup",
                    "name",
                    "key",
                    "config.distributedVirtualSwitch"),
                propertySpec("DistributedVirtualSwitch", "uuid"),
                propertySpec("CustomFieldsManager", "field")));
    if (withVms) {
      types.add("VirtualMachine");
      propSets.add(propertySpec("VirtualMachine", InventoryAssembler.VM_PROPS));
    }
    return InventoryAssembler.assemble(throughView(types, propSets));
  }

  /**
   * The given properties of every object of the given types under the root folder, through one
   * container view (destroyed afterwards), and the custom field definitions.
   */
  private List<ObjectContent> throughView(List<String> types, List<XmlElement> propSets) {
    Vim25Session.ServiceContent sc = serviceContent();
    XmlElement create =
        XmlElement.of("CreateContainerView")
            .addRef("_this", sc.viewManager())
            .addRef("container", sc.rootFolder());
    types.forEach(t -> create.add("type", t));
    create.add("recursive", true);
    MoRef view = invoke(create).child("returnval").map(XmlNode::moRef).orElseThrow();
    try {
      return retrieve(
          propSets,
          List.of(
              objectSpec(view, true, traversal("view", "ContainerView", "view")),
              objectSpec(sc.customFieldsManager(), false)));
    } finally {
      try {
        invoke(XmlElement.of("DestroyView").addRef("_this", view));
      } catch (VsphereException e) {
        log.debug("DestroyView {} failed: {}", view.value(), e.getMessage());
      }
    }
  }

  @Override
  public VmInfo vm(String vmId) {
    MoRef ref = refOf(vmId);
    if (!ref.type().equals("VirtualMachine")) {
      throw new VsphereException.InvalidRequest("InvalidArgument", vmId + " is not a VM");
    }
    // One round trip: the VM, its datastores (names for the .vmx path), its pool's owner (the
    // cluster) and the custom field names.
    List<ObjectContent> objects =
        retrieve(
            List.of(
                propertySpec("VirtualMachine", InventoryAssembler.VM_PROPS),
                propertySpec("Datastore", "name"),
                propertySpec("ResourcePool", "owner"),
                propertySpec("CustomFieldsManager", "field")),
            List.of(
                objectSpec(
                    ref,
                    false,
                    traversal("vmDatastores", "VirtualMachine", "datastore"),
                    traversal("vmPool", "VirtualMachine", "resourcePool")),
                objectSpec(serviceContent().customFieldsManager(), false)));
    ObjectContent vm =
        objects.stream()
            .filter(o -> o.obj().value().equals(vmId))
            .findFirst()
            .orElseThrow(
                () -> new VsphereException.NotFound("ManagedObjectNotFound", "no VM " + vmId));
    Map<String, String> datastoreIds = new HashMap<>();
    String cluster = null;
    for (ObjectContent o : objects) {
      if (o.obj().type().equals("Datastore")) {
        datastoreIds.put(o.text("name"), o.obj().value());
      } else if (o.obj().type().equals("ResourcePool") || o.obj().type().equals("VirtualApp")) {
        MoRef owner = o.ref("owner");
        if (owner != null && owner.type().equals("ClusterComputeResource")) {
          cluster = owner.value();
        }
      }
    }
    return InventoryAssembler.vm(
        vm, cluster, datastoreIds, Map.of(), InventoryAssembler.customFieldNames(objects));
  }

  @Override
  public Optional<VmInfo> findVmByInstanceUuid(String instanceUuid) {
    XmlNode res =
        invoke(
            XmlElement.of("FindByUuid")
                .addRef("_this", serviceContent().searchIndex())
                .add("uuid", instanceUuid)
                .add("vmSearch", true)
                .add("instanceUuid", true));
    Optional<MoRef> ref = res.child("returnval").map(XmlNode::moRef);
    ref.ifPresent(this::learn);
    return ref.map(r -> vm(r.value()));
  }

  @Override
  public HostInfo host(String hostId) {
    ObjectContent o = one(refOf(hostId), "HostSystem", InventoryAssembler.HOST_PROPS);
    MoRef parent = o.ref("parent");
    String cluster =
        parent != null && parent.type().equals("ClusterComputeResource") ? parent.value() : null;
    return InventoryAssembler.host(o, cluster);
  }

  @Override
  public DatastoreInfo datastore(String datastoreId) {
    MoRef ref = refOf(datastoreId);
    List<ObjectContent> objects =
        retrieve(
            List.of(
                propertySpec("Datastore", InventoryAssembler.DATASTORE_PROPS),
                propertySpec("CustomFieldsManager", "field")),
            List.of(
                objectSpec(ref, false), objectSpec(serviceContent().customFieldsManager(), false)));
    ObjectContent ds =
        objects.stream()
            .filter(o -> o.obj().value().equals(datastoreId))
            .findFirst()
            .orElseThrow(
                () ->
                    new VsphereException.NotFound(
                        "ManagedObjectNotFound", "no datastore " + datastoreId));
    return InventoryAssembler.datastore(ds, InventoryAssembler.customFieldNames(objects));
  }

  // ---- operations ----

  private TaskRef task(XmlNode response) {
    MoRef ref =
        response
            .child("returnval")
            .map(XmlNode::moRef)
            .orElseThrow(() -> Vim25Session.invalidResponse("task"));
    learn(ref);
    return new TaskRef(ref.value());
  }

  @Override
  public TaskRef relocate(String vmId, RelocateSpec spec) {
    MoRef vm = refOf(vmId);
    return task(
        invoke(XmlElement.of("RelocateVM_Task").addRef("_this", vm).add(relocateSpec(vm, spec))));
  }

  @Override
  public Optional<RelocateCheck> checkRelocate(String vmId, RelocateSpec spec) {
    MoRef checker = serviceContent().vmProvisioningChecker();
    if (checker == null) {
      return Optional.empty();
    }
    MoRef vm = refOf(vmId);
    TaskRef ref;
    try {
      ref =
          task(
              invoke(
                  XmlElement.of("CheckRelocate_Task")
                      .addRef("_this", checker)
                      .addRef("vm", vm)
                      .add(relocateSpec(vm, spec))));
    } catch (VsphereException e) {
      if (UNSUPPORTED.contains(e.fault())) {
        log.info("{} has no CheckRelocate_Task: {}", session.connection().id(), e.getMessage());
        return Optional.empty();
      }
      throw e;
    }
    TaskInfo done = waitForTask(ref, CHECK_TIMEOUT);
    if (done.error() != null) {
      throw done.error();
    }
    XmlNode info = one(new MoRef("Task", ref.id()), "Task", "info").prop("info");
    List<VsphereException> errors = new ArrayList<>();
    List<VsphereException> warnings = new ArrayList<>();
    Optional<XmlNode> result = info == null ? Optional.empty() : info.child("result");
    for (XmlNode check : result.map(r -> r.children("CheckResult")).orElse(List.of())) {
      check.children("error").forEach(f -> errors.add(localizedFault(f)));
      check.children("warning").forEach(f -> warnings.add(localizedFault(f)));
    }
    return Optional.of(new RelocateCheck(errors, warnings));
  }

  /** Fault types of a server that does not implement a method. */
  private static final Set<String> UNSUPPORTED =
      Set.of("MethodNotFound", "NotImplemented", "NotSupported");

  private static final Duration CHECK_TIMEOUT = Duration.ofMinutes(2);

  /** A LocalizedMethodFault as the typed exception of its fault, with vCenter's text. */
  private static VsphereException localizedFault(XmlNode f) {
    String type = f.at("fault").map(XmlNode::type).orElse("VimFault");
    String message = f.text("localizedMessage");
    return Faults.toException(type, message == null || message.isBlank() ? type : message);
  }

  /** A VirtualMachineRelocateSpec element for RelocateVM_Task and CheckRelocate_Task. */
  private XmlElement relocateSpec(MoRef vm, RelocateSpec spec) {
    // VirtualMachineRelocateSpec fields in schema order: folder, datastore, pool, host, disk,
    // deviceChange.
    XmlElement s = XmlElement.of("spec");
    if (spec.folder() != null) {
      s.addRef("folder", refOf(spec.folder()));
    }
    if (spec.datastore() != null) {
      s.addRef("datastore", refOf(spec.datastore()));
    }
    if (spec.resourcePool() != null) {
      s.addRef("pool", refOf(spec.resourcePool()));
    }
    if (spec.host() != null) {
      s.addRef("host", refOf(spec.host()));
    }
    for (DiskLocator d : spec.disks()) {
      s.add(
          XmlElement.of("disk")
              .add("diskId", d.diskKey())
              .addRef("datastore", refOf(d.datastore())));
    }
    if (!spec.nics().isEmpty()) {
      nicChanges(vm, spec.nics()).forEach(s::add);
    }
    return s;
  }

  /** deviceChange edits for NIC backings: the NICs as read, with only the backing replaced. */
  private List<XmlElement> nicChanges(MoRef vm, List<NicBackingChange> changes) {
    ObjectContent o = one(vm, "VirtualMachine", "config.hardware.device");
    XmlNode devices = o.prop("config.hardware.device");
    Map<Integer, XmlNode> nicsByKey = new HashMap<>();
    if (devices != null) {
      for (XmlNode d : devices.children()) {
        if (Devices.kind(d) == Devices.Kind.NIC) {
          nicsByKey.put(Integer.parseInt(d.text("key").trim()), d);
        }
      }
    }
    List<XmlElement> out = new ArrayList<>();
    for (NicBackingChange c : changes) {
      XmlNode nic = nicsByKey.get(c.nicKey());
      if (nic == null) {
        throw new VsphereException.InvalidRequest(
            "InvalidArgument", "VM " + vm.value() + " has no NIC with key " + c.nicKey());
      }
      XmlElement device = XmlElement.copyOf(nic, "device").replace("backing", backing(c.network()));
      out.add(XmlElement.of("deviceChange").add("operation", "edit").add(device));
    }
    return out;
  }

  /** The NIC backing for a standard network or a distributed port group. */
  XmlElement backing(String networkId) {
    MoRef net = refOf(networkId);
    if (net.type().equals("DistributedVirtualPortgroup")) {
      ObjectContent pg =
          one(net, "DistributedVirtualPortgroup", "key", "config.distributedVirtualSwitch");
      MoRef dvs = pg.ref("config.distributedVirtualSwitch");
      if (dvs == null) {
        throw new VsphereException.InvalidRequest(
            "InvalidArgument", networkId + " has no distributed switch");
      }
      String uuid = one(dvs, dvs.type(), "uuid").text("uuid");
      return Devices.distributedBacking(uuid, pg.text("key"));
    }
    String name = one(net, net.type(), "name").text("name");
    return Devices.networkBacking(name, net);
  }

  @Override
  public void unregister(String vmId) {
    invoke(XmlElement.of("UnregisterVM").addRef("_this", refOf(vmId)));
  }

  @Override
  public TaskRef register(RegisterSpec spec) {
    XmlElement call =
        XmlElement.of("RegisterVM_Task")
            .addRef("_this", refOf(spec.folder()))
            .add("path", spec.vmPathName())
            .add("name", spec.name())
            .add("asTemplate", false)
            .addRef("pool", spec.resourcePool() == null ? null : refOf(spec.resourcePool()))
            .addRef("host", spec.host() == null ? null : refOf(spec.host()));
    return task(invoke(call));
  }

  @Override
  public TaskRef reconfigureNics(String vmId, List<NicBackingChange> changes) {
    MoRef vm = refOf(vmId);
    XmlElement spec = XmlElement.of("spec");
    nicChanges(vm, changes).forEach(spec::add);
    return task(invoke(XmlElement.of("ReconfigVM_Task").addRef("_this", vm).add(spec)));
  }

  @Override
  public TaskRef moveIntoFolder(String vmId, String folderId) {
    return task(
        invoke(
            XmlElement.of("MoveIntoFolder_Task")
                .addRef("_this", refOf(folderId))
                .addRef("list", refOf(vmId))));
  }

  @Override
  public TaskRef powerOn(String vmId) {
    return task(invoke(XmlElement.of("PowerOnVM_Task").addRef("_this", refOf(vmId))));
  }

  @Override
  public TaskRef powerOff(String vmId) {
    return task(invoke(XmlElement.of("PowerOffVM_Task").addRef("_this", refOf(vmId))));
  }

  @Override
  public void shutdownGuest(String vmId) {
    invoke(XmlElement.of("ShutdownGuest").addRef("_this", refOf(vmId)));
  }

  @Override
  public void setCustomValue(String entityId, String key, String value) {
    MoRef entity = refOf(entityId);
    MoRef cfm = serviceContent().customFieldsManager();
    Integer fieldKey = fieldKey(cfm, key, entity.type());
    if (fieldKey == null) {
      try {
        // A global field (no managedObjectType), usable on VMs, hosts and folders alike.
        XmlNode res =
            invoke(XmlElement.of("AddCustomFieldDef").addRef("_this", cfm).add("name", key));
        fieldKey = Integer.parseInt(res.text("returnval.key").trim());
      } catch (VsphereException.InvalidRequest e) {
        // DuplicateName: another worker defined it between our read and our add.
        fieldKey = fieldKey(cfm, key, entity.type());
        if (fieldKey == null) {
          throw e;
        }
      }
    }
    // Check, then act: a retry after a late reply finds the value set and sends nothing.
    if (currentValue(entity, fieldKey).equals(value == null ? "" : value)) {
      return;
    }
    // SetField by key works on every entity type; vcsim implements SetCustomValue for VMs only.
    invoke(
        XmlElement.of("SetField")
            .addRef("_this", cfm)
            .addRef("entity", entity)
            .add("key", fieldKey)
            .add("value", value == null ? "" : value));
  }

  /** The entity's value of a custom field, "" when it has none. */
  private String currentValue(MoRef entity, int fieldKey) {
    XmlNode values = one(entity, entity.type(), "customValue").prop("customValue");
    if (values != null) {
      for (XmlNode v : values.children()) {
        String key = v.text("key");
        if (key != null && Integer.parseInt(key.trim()) == fieldKey) {
          return v.text("value") == null ? "" : v.text("value");
        }
      }
    }
    return "";
  }

  private Integer fieldKey(MoRef cfm, String name, String entityType) {
    XmlNode fields = one(cfm, "CustomFieldsManager", "field").prop("field");
    if (fields == null) {
      return null;
    }
    for (XmlNode f : fields.children()) {
      String moType = f.text("managedObjectType");
      if (name.equals(f.text("name"))
          && (moType == null || moType.isBlank() || moType.equals(entityType))) {
        return Integer.parseInt(f.text("key").trim());
      }
    }
    return null;
  }

  @Override
  public Map<String, Set<String>> missingPrivileges(
      List<String> entityIds, Set<String> privileges) {
    if (entityIds.isEmpty() || privileges.isEmpty()) {
      return Map.of();
    }
    if (session.sessionKey() == null) {
      login();
    }
    XmlElement call =
        XmlElement.of("HasPrivilegeOnEntities")
            .addRef("_this", serviceContent().authorizationManager());
    entityIds.forEach(id -> call.addRef("entity", refOf(id)));
    call.add("sessionId", session.sessionKey());
    privileges.forEach(p -> call.add("privId", p));
    XmlNode res = invoke(call);
    Map<String, Set<String>> missing = new LinkedHashMap<>();
    for (XmlNode ep : res.children("returnval")) {
      String entity = ep.child("entity").map(XmlNode::text).orElse(null);
      Set<String> lacking = new LinkedHashSet<>();
      for (XmlNode pa : ep.children("privAvailability")) {
        if (!Boolean.parseBoolean(pa.text("isGranted"))) {
          lacking.add(pa.text("privId"));
        }
      }
      if (entity != null && !lacking.isEmpty()) {
        missing.put(entity, Set.copyOf(lacking));
      }
    }
    return missing;
  }

  @Override
  public boolean cancelTask(TaskRef ref) {
    try {
      invoke(XmlElement.of("CancelTask").addRef("_this", new MoRef("Task", ref.id())));
      return true;
    } catch (VsphereException.InvalidState | VsphereException.InvalidRequest e) {
      // Finished already or not cancellable (InvalidState, NotSupported), or a server without
      // CancelTask (MethodNotFound): the task runs to its end.
      log.info("task {} not cancelled: {}", ref.id(), e.getMessage());
      return false;
    }
  }

  @Override
  public TaskInfo task(TaskRef ref) {
    MoRef task = new MoRef("Task", ref.id());
    XmlNode info = one(task, "Task", "info").prop("info");
    if (info == null) {
      throw new VsphereException.NotFound("ManagedObjectNotFound", "no task " + ref.id());
    }
    return InventoryAssembler.taskInfo(ref, info);
  }

  @Override
  public List<TaskInfo> recentTasks(String entityId) {
    MoRef entity = refOf(entityId);
    // One round trip: the entity's recentTask list and, through it, the info of every listed task.
    List<ObjectContent> objects =
        retrieve(
            List.of(propertySpec(entity.type(), "recentTask"), propertySpec("Task", "info")),
            List.of(
                objectSpec(entity, false, traversal("recentTasks", entity.type(), "recentTask"))));
    Map<String, XmlNode> infos = new HashMap<>();
    List<MoRef> listed = List.of();
    for (ObjectContent o : objects) {
      if (o.obj().value().equals(entityId)) {
        listed = o.refs("recentTask");
      } else if (o.obj().type().equals("Task") && o.prop("info") != null) {
        infos.put(o.obj().value(), o.prop("info"));
      }
    }
    List<TaskInfo> out = new ArrayList<>();
    for (MoRef t : listed) {
      // A task collected by vCenter between the list and its info has no info: left out.
      XmlNode info = infos.get(t.value());
      if (info != null) {
        out.add(InventoryAssembler.taskInfo(new TaskRef(t.value()), info));
      }
    }
    return out;
  }

  /** The most tasks {@link #taskHistory} reads: one page of a task history collector. */
  static final int HISTORY_PAGE = 100;

  @Override
  public List<TaskInfo> taskHistory(String entityId, Instant since) {
    MoRef entity = refOf(entityId);
    MoRef manager = serviceContent().taskManager();
    if (manager == null) {
      return List.of(); // a host without vCenter keeps no task history
    }
    XmlElement filter =
        XmlElement.of("filter")
            .add(XmlElement.of("entity").addRef("entity", entity).add("recursion", "self"))
            .add(
                XmlElement.of("time")
                    .add("timeType", "queuedTime")
                    .add("beginTime", since.toString()));
    MoRef collector =
        invoke(XmlElement.of("CreateCollectorForTasks").addRef("_this", manager).add(filter))
            .child("returnval")
            .map(XmlNode::moRef)
            .orElseThrow(() -> Vim25Session.invalidResponse("CreateCollectorForTasks"));
    try {
      // The newest page, with the tasks' current state: a task of one VM since one activity
      // started fits in it many times over.
      invoke(
          XmlElement.of("SetCollectorPageSize")
              .addRef("_this", collector)
              .add("maxCount", HISTORY_PAGE));
      XmlNode page = one(collector, "TaskHistoryCollector", "latestPage").prop("latestPage");
      List<TaskInfo> out = new ArrayList<>();
      if (page != null) {
        for (XmlNode info : page.children()) {
          String task = info.child("task").map(XmlNode::text).orElse(null);
          if (task != null) {
            out.add(InventoryAssembler.taskInfo(new TaskRef(task.trim()), info));
          }
        }
      }
      out.sort(
          Comparator.comparing(TaskInfo::queued, Comparator.nullsFirst(Comparator.naturalOrder())));
      return out;
    } finally {
      try {
        invoke(XmlElement.of("DestroyCollector").addRef("_this", collector));
      } catch (VsphereException e) {
        // vCenter destroys it with the session; a leak of one collector is harmless.
        log.info("task collector {} not destroyed: {}", collector.value(), e.getMessage());
      }
    }
  }

  /**
   * Follows a task by reading its info with backoff (50 ms growing to 2 s) until it finishes.
   *
   * @return the finished task's info (SUCCESS or ERROR)
   * @throws VsphereException.Transient when it has not finished within the timeout
   */
  public TaskInfo waitForTask(TaskRef ref, Duration timeout) {
    TaskPolling polling =
        TaskPolling.starting(
                Duration.ofMillis(50),
                d -> Duration.ofMillis(Math.min(2000, d.toMillis() * 3 / 2)),
                e -> new VsphereException.Transient("Interrupted", "waiting for " + ref.id(), e))
            .within(timeout);
    while (true) {
      TaskInfo info = task(ref);
      if (info.state().finished()) {
        return info;
      }
      if (polling.expired()) {
        throw new VsphereException.Transient(
            "Timedout",
            "task " + ref.id() + " still " + info.state().name().toLowerCase(Locale.ROOT));
      }
      polling.pause();
    }
  }

  @Override
  public String toString() {
    return "Vim25Gateway[" + session.connection() + "]";
  }
}
