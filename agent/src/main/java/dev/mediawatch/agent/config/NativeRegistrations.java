package dev.mediawatch.agent.config;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Classes Jackson reads or writes by reflection, registered so the agent works as a native executable: the
 * contract's payload records. The engine's JSON is read as trees ({@code dev.mediawatch.agent.engine}), which
 * needs no registration. {@code NativeRegistrationsTest} fails when a contract record or enum is missing here, or
 * when the engine package gains a class Jackson would bind (no native toolchain runs on the build machines to find
 * out otherwise). Nested classes are registered with their owner ({@code ignoreNested = false}). The configuration's
 * converters ({@code @WithConverter} in {@link AgentConfig}) are not listed: Quarkus registers every converter a
 * mapping declares.
 */
@RegisterForReflection(targets = {
        dev.mediawatch.contract.HostState.class,
        dev.mediawatch.contract.HostEvent.class,
        dev.mediawatch.contract.ContainerState.class,
        dev.mediawatch.contract.EngineState.class,
        dev.mediawatch.contract.CommandRequest.class,
        dev.mediawatch.contract.HostId.class,
        dev.mediawatch.contract.ContainerStatus.class,
        dev.mediawatch.contract.ContainerHealth.class,
        dev.mediawatch.contract.Command.class,
        dev.mediawatch.contract.HostMounts.class,
        dev.mediawatch.contract.MountState.class,
        dev.mediawatch.contract.MountHealth.class,
        dev.mediawatch.contract.NfsOptions.class,
        dev.mediawatch.contract.MountSpace.class,
        dev.mediawatch.contract.NfsStats.class,
        dev.mediawatch.contract.NfsOpStats.class,
        dev.mediawatch.contract.HostIo.class,
        dev.mediawatch.contract.HostPressure.class,
        dev.mediawatch.contract.Pressure.class,
        dev.mediawatch.contract.PressureLine.class,
        dev.mediawatch.contract.DiskIo.class,
        dev.mediawatch.contract.ContainerIo.class,
        dev.mediawatch.contract.MissingService.class,
        dev.mediawatch.contract.HostSummary.class,
        dev.mediawatch.contract.ServiceProbe.class,
        dev.mediawatch.contract.PortBinding.class,
        dev.mediawatch.contract.EnvAudit.class,
        dev.mediawatch.contract.EnvFile.class,
        // Playback and download activity, what stutter is judged by: the published snapshot and the records in it,
        // the throttle command the agent reads and the throttle state file it keeps across a crash.
        dev.mediawatch.contract.HostActivity.class,
        dev.mediawatch.contract.ActivitySource.class,
        dev.mediawatch.contract.SourceState.class,
        dev.mediawatch.contract.StreamSession.class,
        dev.mediawatch.contract.DownloadQueue.class,
        dev.mediawatch.contract.TorrentTransfer.class,
        dev.mediawatch.contract.PostProcessor.class,
        dev.mediawatch.contract.DownloadLimits.class,
        dev.mediawatch.contract.ThrottleState.class,
        dev.mediawatch.contract.ThrottleRequest.class,
        // In the activity snapshot: today's imports per *arr app and the services' own identities.
        dev.mediawatch.contract.ArrImports.class,
        dev.mediawatch.contract.ServiceIdentity.class,
        dev.mediawatch.contract.Availability.class,
        dev.mediawatch.contract.RejectReason.class,
        dev.mediawatch.contract.Schema.class,
        dev.mediawatch.contract.Topics.Kind.class,
        dev.mediawatch.contract.Topics.Ref.class,
        // The aggregator's payloads (status, alerts, incidents, refresh): the agent does not write them today, but
        // every contract record and enum is registered so a new use cannot be forgotten (the test checks all).
        dev.mediawatch.contract.StatusReport.class,
        dev.mediawatch.contract.HostStatus.class,
        dev.mediawatch.contract.HostHealth.class,
        dev.mediawatch.contract.ServiceStatus.class,
        dev.mediawatch.contract.MountStatus.class,
        dev.mediawatch.contract.StorageShare.class,
        dev.mediawatch.contract.Check.class,
        dev.mediawatch.contract.Alert.class,
        dev.mediawatch.contract.AlertSeverity.class,
        dev.mediawatch.contract.AlertState.class,
        dev.mediawatch.contract.Contention.class,
        dev.mediawatch.contract.ContentionWindow.class,
        dev.mediawatch.contract.ContentionHistory.class,
        dev.mediawatch.contract.SignalValue.class,
        dev.mediawatch.contract.StutterEvidence.class,
        dev.mediawatch.contract.Incident.class,
        dev.mediawatch.contract.IncidentAction.class,
        dev.mediawatch.contract.IncidentList.class,
        dev.mediawatch.contract.RefreshHost.class,
        dev.mediawatch.contract.RefreshResult.class,
        dev.mediawatch.contract.BaselineReport.class,
        dev.mediawatch.contract.SignalBaseline.class,
        dev.mediawatch.contract.NotifyTest.class,
        dev.mediawatch.contract.NotifyTest.Target.class,
}, ignoreNested = false)
public final class NativeRegistrations {

    private NativeRegistrations() {
    }
}
