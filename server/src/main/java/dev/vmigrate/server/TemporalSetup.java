package dev.vmigrate.server;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.RegisterNamespaceRequest;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What vmigrate needs of a Temporal namespace on a cluster run elsewhere: the namespace and the
 * search attributes {@link NamespaceSetup#SEARCH_ATTRIBUTES}. Each step reads first and creates
 * only what is missing (never changes what exists), so every process runs it on start and any
 * number may run it at once. When the cluster refuses (credentials without the right, a namespace
 * Temporal Cloud only creates in its console) it stops with {@link Refused}, whose one message
 * names the {@code temporal} commands an operator runs instead. While the cluster cannot be reached
 * it retries with backoff, reporting each failed attempt.
 */
public final class TemporalSetup {
  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  private static final Duration MAX_RETRY = Duration.ofSeconds(30);
  private static final Duration NEW_NAMESPACE_VISIBLE = Duration.ofSeconds(60);

  private TemporalSetup() {}

  /**
   * What the setup found and did.
   *
   * @param namespace the namespace
   * @param namespaceCreated whether it was created now
   * @param registered the search attributes registered now
   * @param alreadyPresent those that were registered before
   */
  public record Report(
      String namespace,
      boolean namespaceCreated,
      List<String> registered,
      List<String> alreadyPresent) {

    /** Every search attribute is registered, so workflows may carry them. */
    public boolean searchAttributesAvailable() {
      return registered.size() + alreadyPresent.size() == NamespaceSetup.SEARCH_ATTRIBUTES.size();
    }

    /** One line per thing done or found, for {@code vmigrate temporal setup}. */
    public List<String> lines(Duration retention) {
      List<String> lines = new ArrayList<>();
      lines.add(
          "namespace "
              + namespace
              + (namespaceCreated
                  ? ": created (retention " + retention.toDays() + " days)"
                  : ": exists"));
      for (String name : registered) {
        lines.add("search attribute " + name + " (Keyword): registered");
      }
      for (String name : alreadyPresent) {
        lines.add("search attribute " + name + " (Keyword): already registered");
      }
      return lines;
    }
  }

  /**
   * The cluster will not let these credentials set up what vmigrate needs; the message says how.
   */
  public static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  /** The cluster could not be reached before the deadline. */
  public static final class Unreachable extends RuntimeException {
    Unreachable(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Creates the namespace (with {@code retention}) and the search attributes where missing.
   *
   * @param giveUpAfter how long to keep retrying an unreachable cluster, or null for ever
   * @param progress receives one line per failed attempt to reach the cluster
   * @throws Refused when the cluster refuses; its message names the commands to run instead
   * @throws Unreachable when the cluster was not reached within {@code giveUpAfter}
   */
  public static Report ensure(
      TemporalConnection c, Duration retention, Duration giveUpAfter, Consumer<String> progress) {
    WorkflowServiceStubs workflow =
        WorkflowServiceStubs.newServiceStubs(c.workflowStubsOptions(null));
    OperatorServiceStubs operator = OperatorServiceStubs.newServiceStubs(c.operatorStubsOptions());
    Retrying retrying = new Retrying(c, giveUpAfter, progress);
    try {
      boolean created = ensureNamespace(workflow, c, retention, retrying);
      if (created) {
        // The frontend learns of a new namespace when its namespace cache refreshes (seconds).
        retrying.waitForNamespace(NEW_NAMESPACE_VISIBLE);
      }
      return ensureSearchAttributes(operator, c, retention, retrying, created);
    } finally {
      operator.shutdownNow();
      workflow.shutdownNow();
    }
  }

  private static boolean ensureNamespace(
      WorkflowServiceStubs stubs, TemporalConnection c, Duration retention, Retrying retrying) {
    try {
      retrying.call(
          () ->
              stubs
                  .blockingStub()
                  .describeNamespace(
                      DescribeNamespaceRequest.newBuilder().setNamespace(c.namespace()).build()));
      return false;
    } catch (StatusRuntimeException e) {
      if (code(e) != Status.Code.NOT_FOUND) {
        throw refusedOrRethrow(e, c, retention, "cannot read namespace " + c.namespace(), true);
      }
    }
    if (c.cloud()) {
      throw new Refused(
          Commands.message(
              c,
              retention,
              "namespace "
                  + c.namespace()
                  + " does not exist; Temporal Cloud creates namespaces only in its console (or"
                  + " with tcld), with the API key or certificate allowed on it",
              false,
              NamespaceSetup.SEARCH_ATTRIBUTES));
    }
    try {
      retrying.call(
          () ->
              stubs
                  .blockingStub()
                  .registerNamespace(
                      RegisterNamespaceRequest.newBuilder()
                          .setNamespace(c.namespace())
                          .setWorkflowExecutionRetentionPeriod(
                              com.google.protobuf.Duration.newBuilder()
                                  .setSeconds(retention.getSeconds()))
                          .build()));
      return true;
    } catch (StatusRuntimeException e) {
      if (code(e) == Status.Code.ALREADY_EXISTS) {
        return false; // another process created it meanwhile
      }
      throw refusedOrRethrow(
          e,
          c,
          retention,
          "namespace " + c.namespace() + " does not exist and cannot be created",
          true);
    }
  }

  private static Report ensureSearchAttributes(
      OperatorServiceStubs stubs,
      TemporalConnection c,
      Duration retention,
      Retrying retrying,
      boolean created) {
    Map<String, IndexedValueType> present;
    try {
      present =
          retrying.call(
              () ->
                  stubs
                      .blockingStub()
                      .listSearchAttributes(
                          ListSearchAttributesRequest.newBuilder()
                              .setNamespace(c.namespace())
                              .build())
                      .getCustomAttributesMap());
    } catch (StatusRuntimeException e) {
      if (code(e) != Status.Code.UNIMPLEMENTED) {
        throw refusedOrRethrow(
            e, c, retention, "cannot list the search attributes of " + c.namespace(), false);
      }
      present = Map.of(); // Temporal's in-memory test server: adding answers for itself
    }
    List<String> already = new ArrayList<>();
    Map<String, IndexedValueType> missing = new LinkedHashMap<>();
    for (String name : NamespaceSetup.SEARCH_ATTRIBUTES) {
      IndexedValueType type = present.get(name);
      if (type == null) {
        missing.put(name, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
      } else if (type != IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD) {
        throw new Refused(
            "Temporal at "
                + c.address()
                + ": search attribute "
                + name
                + " of namespace "
                + c.namespace()
                + " is "
                + type.name().replace("INDEXED_VALUE_TYPE_", "")
                + ", vmigrate needs it Keyword; use another namespace (--namespace) or remove it"
                + " with: temporal operator search-attribute remove --name "
                + name
                + Commands.target(c));
      } else {
        already.add(name);
      }
    }
    if (missing.isEmpty()) {
      return new Report(c.namespace(), created, List.of(), already);
    }
    try {
      retrying.call(
          () ->
              stubs
                  .blockingStub()
                  .addSearchAttributes(
                      AddSearchAttributesRequest.newBuilder()
                          .setNamespace(c.namespace())
                          .putAllSearchAttributes(missing)
                          .build()));
    } catch (StatusRuntimeException e) {
      if (code(e) == Status.Code.ALREADY_EXISTS) {
        // Another process registered them meanwhile (or a server without list had them).
        List<String> all = new ArrayList<>(already);
        all.addAll(missing.keySet());
        return new Report(c.namespace(), created, List.of(), all);
      }
      throw refusedOrRethrow(
          e,
          c,
          retention,
          "cannot register search attributes " + String.join(", ", missing.keySet()),
          false,
          List.copyOf(missing.keySet()));
    }
    return new Report(c.namespace(), created, List.copyOf(missing.keySet()), already);
  }

  private static RuntimeException refusedOrRethrow(
      StatusRuntimeException e,
      TemporalConnection c,
      Duration retention,
      String what,
      boolean namespaceToo) {
    return refusedOrRethrow(e, c, retention, what, namespaceToo, NamespaceSetup.SEARCH_ATTRIBUTES);
  }

  private static RuntimeException refusedOrRethrow(
      StatusRuntimeException e,
      TemporalConnection c,
      Duration retention,
      String what,
      boolean namespaceToo,
      List<String> attributes) {
    Status.Code code = code(e);
    if (code == Status.Code.UNAUTHENTICATED) {
      return new Refused(
          "Temporal at "
              + c.address()
              + " did not accept the credentials ("
              + describe(e)
              + "); check the API key (--temporal-api-key-file, TEMPORAL_API_KEY) or the client"
              + " certificate (--temporal-tls-cert/--temporal-tls-key, TEMPORAL_TLS_CLIENT_*)");
    }
    if (code == Status.Code.PERMISSION_DENIED
        || code == Status.Code.UNIMPLEMENTED
        || code == Status.Code.INVALID_ARGUMENT
        || code == Status.Code.FAILED_PRECONDITION) {
      return new Refused(
          Commands.message(
              c, retention, what + " (" + describe(e) + ")", namespaceToo, attributes));
    }
    return e;
  }

  static Status.Code code(StatusRuntimeException e) {
    return e.getStatus().getCode();
  }

  static String describe(StatusRuntimeException e) {
    String d = e.getStatus().getDescription();
    return e.getStatus().getCode() + (d == null || d.isBlank() ? "" : ": " + d);
  }

  /** Renders the commands an operator runs when vmigrate may not set the namespace up itself. */
  static final class Commands {
    private Commands() {}

    static String message(
        TemporalConnection c,
        Duration retention,
        String reason,
        boolean namespace,
        List<String> attributes) {
      StringBuilder sb =
          new StringBuilder("Temporal at ")
              .append(c.address())
              .append(" (namespace ")
              .append(c.namespace())
              .append("): ")
              .append(reason)
              .append(".\nRun these with credentials that may (or ask the cluster's operator),")
              .append(" then start vmigrate again (or run 'vmigrate temporal setup'):");
      if (namespace && !c.cloud()) {
        sb.append("\n  temporal operator namespace create --namespace ")
            .append(c.namespace())
            .append(" --retention ")
            .append(retention.toHours())
            .append('h')
            .append(target(c, false));
      }
      for (String name : attributes) {
        sb.append("\n  temporal operator search-attribute create --name ")
            .append(name)
            .append(" --type Keyword")
            .append(target(c));
      }
      return sb.toString();
    }

    /** {@code --address}, {@code --namespace} and the TLS flags of the target; never the key. */
    static String target(TemporalConnection c) {
      return target(c, true);
    }

    private static String target(TemporalConnection c, boolean namespace) {
      StringBuilder sb = new StringBuilder();
      if (namespace) {
        sb.append(" --namespace ").append(c.namespace());
      }
      sb.append(" --address ").append(c.address());
      TemporalConnection.Tls tls = c.tls();
      if (tls != null) {
        sb.append(" --tls");
        if (tls.ca() != null) {
          sb.append(" --tls-ca-path ").append(tls.ca());
        }
        if (tls.serverName() != null) {
          sb.append(" --tls-server-name ").append(tls.serverName());
        }
        if (tls.cert() != null) {
          sb.append(" --tls-cert-path ").append(tls.cert());
          sb.append(" --tls-key-path ").append(tls.key());
        }
      }
      if (c.apiKey() != null) {
        // The CLI reads the key from the variable: it is never printed here.
        sb.append(" --api-key \"$TEMPORAL_API_KEY\"");
      }
      return sb.toString();
    }
  }

  /** Calls again while the cluster is unreachable, waiting longer each time. */
  private static final class Retrying {
    private final TemporalConnection c;
    private final Instant deadline;
    private final Consumer<String> progress;
    private Instant namespaceDeadline;

    Retrying(TemporalConnection c, Duration giveUpAfter, Consumer<String> progress) {
      this.c = c;
      this.deadline = giveUpAfter == null ? null : Instant.now().plus(giveUpAfter);
      this.progress = progress;
    }

    /** From now on, NOT_FOUND for the namespace is retried for {@code within}. */
    void waitForNamespace(Duration within) {
      namespaceDeadline = Instant.now().plus(within);
    }

    <T> T call(Supplier<T> rpc) {
      Duration wait = FIRST_RETRY;
      while (true) {
        try {
          return rpc.get();
        } catch (StatusRuntimeException e) {
          Status.Code code = code(e);
          String line;
          if (code == Status.Code.NOT_FOUND
              && namespaceDeadline != null
              && Instant.now().plus(wait).isBefore(namespaceDeadline)) {
            line = "namespace " + c.namespace() + " is not visible yet on " + c.address();
          } else if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
            line = "cannot reach Temporal at " + c.address() + ": " + describe(e);
            if (deadline != null && Instant.now().plus(wait).isAfter(deadline)) {
              throw new Unreachable(line);
            }
          } else {
            throw e;
          }
          progress.accept(line + ", retrying in " + wait.toSeconds() + "s");
          try {
            Thread.sleep(wait.toMillis());
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new Unreachable(line + " (interrupted)");
          }
          wait = wait.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : wait.multipliedBy(2);
        }
      }
    }
  }
}
