export interface Config {
  docr?: {
    /** The shipped permission policy (`@backstage-docr/plugin-permission-backend-module-docr`). */
    permissions?: {
      /**
       * Who reads registries (`docr.registry.read`: their figures, tags, runs, policies and pull
       * credentials) and which accounts each user sees listed. `everyone` (the default): every
       * signed-in user reads every registry and sees every account. `owners`: only the owners
       * of a registry's entity (and `readers`) read it, and an account is listed only to those
       * who own its subscription or read a registry in it: for companies that keep teams apart.
       */
      readModel?: 'everyone' | 'owners';
      /**
       * With `readModel: owners`: users and groups that read every registry of every account,
       * e.g. `[group:default/platform]`. None by default.
       */
      readers?: string[];
    };
  };
}
