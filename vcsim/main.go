// Command vmigrate-vcsim runs govmomi's vCenter simulator (vcsim) for vmigrate's tests, with
// per-method SOAP fault and delay injection that tests arm at start (flags) or at run time
// (POST /vmigrate/faults) without restarting the simulator, task delays (a task stays running for
// a while: -task-delay, /vmigrate/task-delays) and SOAP call counting (/vmigrate/calls).
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/view"
	"github.com/vmware/govmomi/vim25/mo"
)

// rule arms one SOAP method: a delay, then a fault (or a dropped connection) for count calls.
type rule struct {
	Method  string `json:"method"`
	Fault   string `json:"fault,omitempty"`
	Message string `json:"message,omitempty"`
	// Count is the number of calls to affect; 0 or less means every call until cleared.
	Count   int  `json:"count"`
	DelayMs int  `json:"delayMs,omitempty"`
	Drop    bool `json:"drop,omitempty"`
	// HoldReplyMs lets the simulator run the call, then holds its reply back for this long: the
	// call is done in the simulator while the client still waits (a loaded vCenter, a slow link).
	HoldReplyMs int `json:"holdReplyMs,omitempty"`
	Hits        int `json:"hits"`
}

type injector struct {
	mu    sync.Mutex
	rules map[string]*rule
	next  http.Handler
	calls *counter
	tasks *taskDelays
}

func (in *injector) arm(r rule) {
	in.mu.Lock()
	defer in.mu.Unlock()
	r.Hits = 0
	in.rules[r.Method] = &r
}

// take returns the rule to apply to this call of method, consuming one of its counts.
func (in *injector) take(method string) *rule {
	in.mu.Lock()
	defer in.mu.Unlock()
	r, ok := in.rules[method]
	if !ok {
		return nil
	}
	r.Hits++
	applied := *r
	if r.Count > 0 && r.Hits >= r.Count {
		delete(in.rules, method)
	}
	return &applied
}

func (in *injector) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	switch req.URL.Path {
	case "/vmigrate/faults":
		in.control(w, req)
		return
	case "/vmigrate/calls":
		in.calls.control(w, req)
		return
	case "/vmigrate/task-delays":
		in.tasks.control(w, req)
		return
	}
	if req.Method != http.MethodPost || !strings.HasPrefix(req.URL.Path, "/sdk") {
		in.next.ServeHTTP(w, req)
		return
	}
	body, err := io.ReadAll(io.LimitReader(req.Body, 64<<20))
	_ = req.Body.Close()
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	method, this := soapMethod(body)
	var hold time.Duration
	if r := in.take(method); r != nil {
		hold = time.Duration(r.HoldReplyMs) * time.Millisecond
		if r.DelayMs > 0 {
			time.Sleep(time.Duration(r.DelayMs) * time.Millisecond)
		}
		if r.Drop || r.Fault != "" {
			in.calls.injected(method)
		}
		if r.Drop {
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					_ = conn.Close()
					return
				}
			}
		}
		if r.Fault != "" {
			writeFault(w, r.Fault, r.Message)
			return
		}
	}
	in.calls.reached(method, this)
	if hold <= 0 {
		in.next.ServeHTTP(w, req)
		return
	}
	// The simulator runs the call now; its reply waits, unless the client gives up first.
	reply := httptest.NewRecorder()
	in.next.ServeHTTP(reply, req)
	select {
	case <-time.After(hold):
	case <-req.Context().Done():
		return
	}
	for k, v := range reply.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(reply.Code)
	_, _ = w.Write(reply.Body.Bytes())
}

// control lists (GET), arms (POST, one rule or an array) and clears (DELETE) injected faults.
func (in *injector) control(w http.ResponseWriter, req *http.Request) {
	switch req.Method {
	case http.MethodGet:
	case http.MethodDelete:
		in.mu.Lock()
		in.rules = map[string]*rule{}
		in.mu.Unlock()
	case http.MethodPost:
		body, err := io.ReadAll(io.LimitReader(req.Body, 1<<20))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var many []rule
		if err := json.Unmarshal(body, &many); err != nil {
			var one rule
			if err := json.Unmarshal(body, &one); err != nil {
				http.Error(w, "expected a rule or an array of rules: "+err.Error(), http.StatusBadRequest)
				return
			}
			many = []rule{one}
		}
		for _, r := range many {
			if r.Method == "" || (r.Fault == "" && r.DelayMs <= 0 && !r.Drop && r.HoldReplyMs <= 0) {
				http.Error(w, "a rule needs a method and a fault, a delayMs, drop or a holdReplyMs", http.StatusBadRequest)
				return
			}
			if r.HoldReplyMs > 0 && (r.Fault != "" || r.Drop) {
				http.Error(w, "holdReplyMs holds the simulator's own reply: it takes no fault or drop", http.StatusBadRequest)
				return
			}
		}
		for _, r := range many {
			in.arm(r)
		}
	default:
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	in.mu.Lock()
	list := make([]rule, 0, len(in.rules))
	for _, r := range in.rules {
		list = append(list, *r)
	}
	in.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(list)
}

// moref is a call's target, e.g. {VirtualMachine vm-42}.
type moref struct{ Type, Value string }

// soapMethod reads the local name of the first element inside the SOAP Body, e.g. "RelocateVM_Task",
// and the VM the call acts on: its _this when that is a VirtualMachine, else its first direct
// argument that is a VirtualMachine reference (SetField's entity, MoveIntoFolder_Task's list).
func soapMethod(body []byte) (string, moref) {
	d := xml.NewDecoder(bytes.NewReader(body))
	method, inBody := "", false
	for {
		tok, err := d.Token()
		if err != nil {
			return method, moref{}
		}
		if _, end := tok.(xml.EndElement); end && method != "" {
			return method, moref{} // the end of the call: no VM among its arguments
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch {
		case method != "":
			var this moref
			for _, a := range se.Attr {
				if a.Name.Local == "type" {
					this.Type = a.Value
				}
			}
			if this.Type != "VirtualMachine" {
				if d.Skip() != nil {
					return method, moref{}
				}
				continue
			}
			var text string
			if d.DecodeElement(&text, &se) != nil {
				return method, moref{}
			}
			this.Value = strings.TrimSpace(text)
			return method, this
		case inBody:
			method = se.Name.Local
		case se.Name.Local == "Body":
			inBody = true
		}
	}
}

// counter counts the SOAP calls that reached the simulator, per method and, for calls on a
// VirtualMachine (as _this or as an argument), per VM; calls answered by an injected fault or dropped are counted apart.
type counter struct {
	mu       sync.Mutex
	methods  map[string]int
	byObject map[string]map[string]int
	faulted  map[string]int
}

func newCounter() *counter {
	c := &counter{}
	c.reset()
	return c
}

func (c *counter) reset() {
	c.methods, c.byObject, c.faulted = map[string]int{}, map[string]map[string]int{}, map[string]int{}
}

func (c *counter) reached(method string, this moref) {
	if method == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.methods[method]++
	if this.Type == "VirtualMachine" && this.Value != "" {
		if c.byObject[method] == nil {
			c.byObject[method] = map[string]int{}
		}
		c.byObject[method][this.Value]++
	}
}

func (c *counter) injected(method string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.faulted[method]++
}

// control answers the counts (GET) or answers them and starts again from zero (DELETE).
func (c *counter) control(w http.ResponseWriter, req *http.Request) {
	if req.Method != http.MethodGet && req.Method != http.MethodDelete {
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	c.mu.Lock()
	out, err := json.Marshal(map[string]any{"methods": c.methods, "byObject": c.byObject, "injected": c.faulted})
	if req.Method == http.MethodDelete {
		c.reset()
	}
	c.mu.Unlock()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(append(out, '\n'))
}

// simulatorTaskNames maps vSphere API task methods to the names the simulator gives their tasks
// (TaskInfo.name), which is what simulator.TaskDelay is keyed by. Other names are used as given.
var simulatorTaskNames = map[string]string{
	"RelocateVM_Task":         "RelocateVm",
	"PowerOnVM_Task":          "PowerOn",
	"PowerOffVM_Task":         "PowerOff",
	"SuspendVM_Task":          "Suspend",
	"ResetVM_Task":            "Reset",
	"ReconfigVM_Task":         "ReconfigVm",
	"UpgradeVM_Task":          "UpgradeVm",
	"CloneVM_Task":            "CloneVm",
	"CreateVM_Task":           "CreateVm",
	"RegisterVM_Task":         "RegisterVm",
	"Destroy_Task":            "Destroy",
	"MoveIntoFolder_Task":     "MoveIntoFolder",
	"Rename_Task":             "Rename",
	"CustomizeVM_Task":        "CustomizeVm",
	"CreateSnapshotEx_Task":   "CreateSnapshotEx",
	"RevertToSnapshot_Task":   "RevertSnapshot",
	"RemoveAllSnapshots_Task": "RemoveAllSnapshots",
}

// taskDelays keeps tasks running for a while before the simulator carries them out: the call
// answers at once with a task in state running, which ends (success or error) after the delay.
type taskDelays struct {
	mu     sync.Mutex
	delays map[string]int // by API method name, e.g. RelocateVM_Task
}

// set replaces the delays and hands them to the simulator.
func (t *taskDelays) set(d map[string]int) {
	t.delays = d
	sim := map[string]int{}
	for m, ms := range d {
		if n, ok := simulatorTaskNames[m]; ok {
			m = n
		}
		sim[m] = ms
	}
	if len(sim) > 0 {
		// Without this the simulator holds the task's entity (the VM) locked while the task waits,
		// so nothing could read the VM during a delayed relocate; vCenter lets clients read it.
		sim["LockHandoff"] = 0
	}
	// A fresh map each time: task goroutines read the previous one without a lock.
	simulator.TaskDelay.MethodDelay = sim
}

// control lists (GET), adds (POST {"RelocateVM_Task": 4000}; 0 removes one) and clears (DELETE) task delays.
func (t *taskDelays) control(w http.ResponseWriter, req *http.Request) {
	t.mu.Lock()
	defer t.mu.Unlock()
	next := map[string]int{}
	switch req.Method {
	case http.MethodGet:
		next = t.delays
	case http.MethodDelete:
		t.set(next)
	case http.MethodPost:
		var add map[string]int
		if err := json.NewDecoder(io.LimitReader(req.Body, 1<<20)).Decode(&add); err != nil {
			http.Error(w, `expected {"Method": ms, ...}: `+err.Error(), http.StatusBadRequest)
			return
		}
		for m, ms := range t.delays {
			next[m] = ms
		}
		for m, ms := range add {
			if ms > 0 {
				next[m] = ms
			} else {
				delete(next, m)
			}
		}
		t.set(next)
	default:
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(next)
}

// writeFault answers like vCenter does: HTTP 500 with a soapenv:Fault whose detail is typed by xsi:type.
func writeFault(w http.ResponseWriter, fault, message string) {
	if message == "" {
		message = "injected " + fault
	}
	var out bytes.Buffer
	out.WriteString(xml.Header)
	e := xml.NewEncoder(&out)
	env := xml.StartElement{Name: xml.Name{Local: "soapenv:Envelope"}, Attr: []xml.Attr{
		{Name: xml.Name{Local: "xmlns:soapenv"}, Value: "http://schemas.xmlsoap.org/soap/envelope/"},
		{Name: xml.Name{Local: "xmlns:xsd"}, Value: "http://www.w3.org/2001/XMLSchema"},
		{Name: xml.Name{Local: "xmlns:xsi"}, Value: "http://www.w3.org/2001/XMLSchema-instance"},
	}}
	body := xml.StartElement{Name: xml.Name{Local: "soapenv:Body"}}
	f := xml.StartElement{Name: xml.Name{Local: "soapenv:Fault"}}
	detail := xml.StartElement{Name: xml.Name{Local: "detail"}}
	typed := xml.StartElement{Name: xml.Name{Local: fault + "Fault"}, Attr: []xml.Attr{
		{Name: xml.Name{Local: "xmlns"}, Value: "urn:vim25"},
		{Name: xml.Name{Local: "xsi:type"}, Value: fault},
	}}
	_ = e.EncodeToken(env)
	_ = e.EncodeToken(body)
	_ = e.EncodeToken(f)
	_ = e.EncodeElement("ServerFaultCode", xml.StartElement{Name: xml.Name{Local: "faultcode"}})
	_ = e.EncodeElement(message, xml.StartElement{Name: xml.Name{Local: "faultstring"}})
	_ = e.EncodeToken(detail)
	_ = e.EncodeToken(typed)
	_ = e.EncodeToken(typed.End())
	_ = e.EncodeToken(detail.End())
	_ = e.EncodeToken(f.End())
	_ = e.EncodeToken(body.End())
	_ = e.EncodeToken(env.End())
	_ = e.Flush()
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	_, _ = w.Write(out.Bytes())
}

// parseRule reads "Method=Fault[:count]", "Method=delay:ms" or "Method=hold:ms[:count]" from the
// command line.
func parseRule(s string) (rule, error) {
	method, spec, ok := strings.Cut(s, "=")
	if !ok || method == "" || spec == "" {
		return rule{}, fmt.Errorf("want Method=Fault[:count], Method=delay:ms or Method=hold:ms[:count], got %q", s)
	}
	kind, arg, _ := strings.Cut(spec, ":")
	r := rule{Method: method}
	n := 0
	if kind == "hold" {
		ms, count, _ := strings.Cut(arg, ":")
		v, err := strconv.Atoi(ms)
		if err != nil || v <= 0 {
			return rule{}, fmt.Errorf("want Method=hold:ms[:count] with ms > 0, got %q", s)
		}
		r.HoldReplyMs = v
		if count != "" {
			if r.Count, err = strconv.Atoi(count); err != nil {
				return rule{}, fmt.Errorf("bad count in %q", s)
			}
		}
		return r, nil
	}
	if arg != "" {
		v, err := strconv.Atoi(arg)
		if err != nil {
			return rule{}, fmt.Errorf("bad number in %q", s)
		}
		n = v
	}
	switch kind {
	case "delay":
		r.DelayMs = n
	case "drop":
		r.Drop, r.Count = true, n
	default:
		r.Fault, r.Count = kind, n
	}
	return r, nil
}

// mountDirs creates, on every host, a local datastore backed by a given directory, as vcsim does for
// its own temporary datastores: two simulators given the same directory see the same VM files.
func mountDirs(u *url.URL, dirs []string) error {
	ctx := context.Background()
	c, err := govmomi.NewClient(ctx, u, true)
	if err != nil {
		return err
	}
	defer func() { _ = c.Logout(ctx) }()
	v, err := view.NewManager(c.Client).CreateContainerView(ctx, c.ServiceContent.RootFolder, []string{"HostSystem"}, true)
	if err != nil {
		return err
	}
	defer func() { _ = v.Destroy(ctx) }()
	var hosts []mo.HostSystem
	if err := v.Retrieve(ctx, []string{"HostSystem"}, []string{"name"}, &hosts); err != nil {
		return err
	}
	for _, d := range dirs {
		name, dir, ok := strings.Cut(d, "=")
		if !ok || name == "" || dir == "" {
			return fmt.Errorf("want NAME=DIR, got %q", d)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		for _, h := range hosts {
			dss, err := object.NewHostSystem(c.Client, h.Reference()).ConfigManager().DatastoreSystem(ctx)
			if err != nil {
				return err
			}
			if _, err := dss.CreateLocalDatastore(ctx, name, dir); err != nil {
				return fmt.Errorf("datastore %s on %s: %w", name, h.Name, err)
			}
		}
	}
	return nil
}

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

func main() {
	log.SetFlags(log.LstdFlags | log.Lmicroseconds)
	listen := flag.String("listen", "127.0.0.1:0", "address to serve on")
	useTLS := flag.Bool("tls", false, "serve HTTPS (self-signed certificate for 127.0.0.1 unless -tls-cert is given)")
	certFile := flag.String("tls-cert", "", "PEM certificate for -tls")
	keyFile := flag.String("tls-key", "", "PEM key for -tls")
	username := flag.String("username", "user", "login user name")
	password := flag.String("password", "pass", "login password")
	dc := flag.Int("dc", 1, "datacenters")
	cluster := flag.Int("cluster", 1, "clusters per datacenter")
	host := flag.Int("host", 3, "hosts per cluster")
	standalone := flag.Int("standalone-host", 1, "standalone hosts per datacenter")
	pool := flag.Int("pool", 0, "child resource pools per cluster")
	ds := flag.Int("ds", 1, "datastores")
	vm := flag.Int("vm", 2, "VMs per resource pool")
	pg := flag.Int("pg", 1, "distributed port groups per datacenter")
	folder := flag.Int("folder", 0, "folders per datacenter")
	autostart := flag.Bool("autostart", true, "power on the model's VMs")
	delay := flag.Int("delay", 0, "delay in ms before every SOAP call")
	jitter := flag.Float64("delay-jitter", 0, "delay jitter (coefficient of variation)")
	var methodDelays, taskDelayFlags, faults, sharedDirs multi
	flag.Var(&sharedDirs, "datastore-dir", "NAME=DIR, a datastore on every host backed by an existing directory,"+
		" which several simulators can share (repeatable)")
	flag.Var(&methodDelays, "method-delay", "Method=ms, delay one method (repeatable)")
	flag.Var(&taskDelayFlags, "task-delay", "Method=ms, keep this method's tasks running for ms before they"+
		" are carried out, e.g. RelocateVM_Task=4000 (repeatable)")
	flag.Var(&faults, "fault", "Method=Fault[:count] | Method=drop[:count] | Method=delay:ms | Method=hold:ms[:count] (repeatable)")
	flag.Parse()

	model := simulator.VPX()
	model.Datacenter, model.Cluster, model.ClusterHost, model.Host = *dc, *cluster, *host, *standalone
	model.Pool, model.Datastore, model.Machine, model.Portgroup, model.Folder = *pool, *ds, *vm, *pg, *folder
	model.Autostart = *autostart
	model.DelayConfig.Delay = *delay
	model.DelayConfig.DelayJitter = *jitter
	model.DelayConfig.MethodDelay = map[string]int{}
	for _, md := range methodDelays {
		m, v, ok := strings.Cut(md, "=")
		ms, err := strconv.Atoi(v)
		if !ok || err != nil {
			log.Fatalf("bad -method-delay %q", md)
		}
		model.DelayConfig.MethodDelay[m] = ms
	}
	tasks := &taskDelays{}
	initial := map[string]int{}
	for _, td := range taskDelayFlags {
		m, v, ok := strings.Cut(td, "=")
		ms, err := strconv.Atoi(v)
		if !ok || m == "" || err != nil || ms < 0 {
			log.Fatalf("bad -task-delay %q, want Method=ms", td)
		}
		initial[m] = ms
	}
	tasks.set(initial)
	in := &injector{rules: map[string]*rule{}, calls: newCounter(), tasks: tasks}
	for _, f := range faults {
		r, err := parseRule(f)
		if err != nil {
			log.Fatal(err)
		}
		in.arm(r)
	}

	if err := model.Create(); err != nil {
		log.Fatalf("creating the model: %v", err)
	}
	defer model.Remove()

	// The simulator serves on an internal loopback port; vmigrate-vcsim serves the same mux on the
	// requested address behind the fault injector.
	model.Service.Listen = &url.URL{Host: "127.0.0.1:0", User: url.UserPassword(*username, *password)}
	if *useTLS {
		model.Service.TLS = new(tls.Config)
	}
	inner := model.Service.NewServer()
	defer inner.Close()
	in.next = model.Service.ServeMux
	if len(sharedDirs) > 0 {
		if err := mountDirs(inner.URL, sharedDirs); err != nil {
			log.Fatalf("mounting -datastore-dir: %v", err)
		}
	}

	l, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatalf("listen %s: %v", *listen, err)
	}
	scheme, thumbprint := "http", ""
	if *useTLS {
		cfg := &tls.Config{Certificates: inner.TLS.Certificates}
		if *certFile != "" {
			cert, err := tls.LoadX509KeyPair(*certFile, *keyFile)
			if err != nil {
				log.Fatalf("loading TLS key pair: %v", err)
			}
			cfg.Certificates = []tls.Certificate{cert}
		}
		sum := sha256.Sum256(cfg.Certificates[0].Certificate[0])
		parts := make([]string, len(sum))
		for i, b := range sum {
			parts[i] = fmt.Sprintf("%02X", b)
		}
		thumbprint = strings.Join(parts, ":")
		l = tls.NewListener(l, cfg)
		scheme = "https"
	}
	addr := l.Addr().String()
	model.Map().SessionManager().ServiceHostName = addr
	srv := &http.Server{Handler: in, ReadHeaderTimeout: 30 * time.Second}
	go func() {
		if err := srv.Serve(l); err != nil && err != http.ErrServerClosed {
			log.Fatalf("serve: %v", err)
		}
	}()

	ready, _ := json.Marshal(map[string]string{
		"url": scheme + "://" + addr + "/sdk", "thumbprint": thumbprint,
		"username": *username,
	})
	// One line on stdout that launchers wait for; everything else goes to stderr.
	fmt.Printf("VMIGRATE_VCSIM_READY %s\n", ready)

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	<-sig
	_ = srv.Close()
}
