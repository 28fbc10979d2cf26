package dev.mediawatch.agent.config;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Classes Jackson reads or writes by reflection, registered so the agent works as a native executable:
 * the contract's payload records, and the docker-java models the engine's JSON is read into.
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
        // Activity (the stutter issue): the published snapshot, the throttle command and the throttle state file.
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
        com.github.dockerjava.api.model.Container.class,
        com.github.dockerjava.api.model.ContainerPort.class,
        com.github.dockerjava.api.model.ContainerHostConfig.class,
        com.github.dockerjava.api.model.ContainerNetworkSettings.class,
        com.github.dockerjava.api.model.ContainerMount.class,
        com.github.dockerjava.api.model.Version.class,
        com.github.dockerjava.api.model.VersionComponent.class,
        com.github.dockerjava.api.model.VersionPlatform.class,
        com.github.dockerjava.api.model.Event.class,
        com.github.dockerjava.api.model.EventActor.class,
        com.github.dockerjava.api.command.InspectContainerResponse.class,
        com.github.dockerjava.api.command.InspectContainerResponse.ContainerState.class,
        com.github.dockerjava.api.command.HealthState.class,
        com.github.dockerjava.api.command.HealthStateLog.class,
        // Published ports: HostConfig.PortBindings (Ports and ExposedPort are read through @JsonCreator).
        com.github.dockerjava.api.model.HostConfig.class,
        com.github.dockerjava.api.model.Ports.class,
        com.github.dockerjava.api.model.Ports.Binding.class,
        com.github.dockerjava.api.model.ExposedPort.class,
        com.github.dockerjava.api.model.InternetProtocol.class,
}, ignoreNested = false)
public final class NativeRegistrations {

    private NativeRegistrations() {
    }
}
