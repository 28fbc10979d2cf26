package dev.mediawatch.agent.catalogue;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.mediawatch.agent.config.AgentConfig;
import dev.mediawatch.agent.config.AgentIdentity;
import dev.mediawatch.catalogue.CatalogueException;
import dev.mediawatch.catalogue.CatalogueParser;
import dev.mediawatch.catalogue.ServiceCatalogue;

/** Reads the catalogue once at startup; a bad one stops startup with {@code file:line: problem}. */
public class CatalogueSource {

    private static final Logger LOG = Logger.getLogger(CatalogueSource.class);

    @Produces
    @Singleton
    ServiceCatalogue catalogue(AgentConfig config, AgentIdentity identity) {
        if (config.catalogue().isEmpty()) {
            LOG.info("no catalogue configured (mediawatch.catalogue): every container is reported as unknown to it");
            return ServiceCatalogue.EMPTY;
        }
        try {
            ServiceCatalogue catalogue = CatalogueParser.load(config.catalogue().get());
            if (!catalogue.hosts().contains(identity.host())) {
                LOG.warnf("catalogue %s does not list host %s among %s: every container here is unknown to it",
                        catalogue.source(), identity.host(), catalogue.hosts());
            }
            LOG.infof("catalogue %s: %d services for %s", catalogue.source(), catalogue.forHost(identity.host()).size(),
                    identity.host());
            return catalogue;
        } catch (CatalogueException e) {
            throw new IllegalStateException("invalid service catalogue (mediawatch.catalogue): " + e.getMessage());
        }
    }
}
