/* sysconf_model.c - see sysconf_model.h */
#include "core/sysconf_model.h"
#include "core/base/strv.h"

#include <stdlib.h>
#include <string.h>

static void loc_free(struct ks_loc *l) { free(l->file); }

void ks_sysconf_free(struct ks_sysconf *sc)
{
    if (!sc)
        return;
    for (size_t i = 0; i < sc->n_users; i++) {
        struct ks_user *u = &sc->users[i];
        loc_free(&u->loc);
        free(u->name), free(u->homedir), free(u->password), free(u->shell), free(u->gecos);
        strv_free(&u->groups);
    }
    free(sc->users);
    for (size_t i = 0; i < sc->n_groups; i++)
        loc_free(&sc->groups[i].loc), free(sc->groups[i].name);
    free(sc->groups);
    for (size_t i = 0; i < sc->n_sshkeys; i++)
        loc_free(&sc->sshkeys[i].loc), free(sc->sshkeys[i].username), free(sc->sshkeys[i].key);
    free(sc->sshkeys);
    for (size_t i = 0; i < sc->n_networks; i++) {
        struct ks_network *n = &sc->networks[i];
        loc_free(&n->loc);
        free(n->device), free(n->bootproto), free(n->ip), free(n->netmask), free(n->gateway);
        free(n->ipv6), free(n->ipv6gateway), free(n->hostname), free(n->essid), free(n->wpakey);
        strv_free(&n->nameservers);
    }
    free(sc->networks);
    for (size_t i = 0; i < sc->n_timesources; i++)
        loc_free(&sc->timesources[i].loc), free(sc->timesources[i].server), free(sc->timesources[i].pool);
    free(sc->timesources);
    loc_free(&sc->services.loc);
    strv_free(&sc->services.enabled), strv_free(&sc->services.disabled);
    loc_free(&sc->keyboard.loc);
    free(sc->keyboard.keyboard), free(sc->keyboard.vckeymap);
    strv_free(&sc->keyboard.xlayouts), strv_free(&sc->keyboard.switch_options);
    loc_free(&sc->firewall.loc);
    strv_free(&sc->firewall.ports), strv_free(&sc->firewall.services);
    strv_free(&sc->firewall.remove_services), strv_free(&sc->firewall.trusts);
    loc_free(&sc->selinux.loc);
    loc_free(&sc->xconfig.loc), free(sc->xconfig.defaultdesktop);
    loc_free(&sc->skipx);
    loc_free(&sc->firstboot.loc);
    loc_free(&sc->authselect.loc), strv_free(&sc->authselect.args);
    memset(sc, 0, sizeof *sc);
}
