import { createApp } from '@backstage/frontend-defaults';
import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import type { SignInPageProps } from '@backstage/core-plugin-api';
import { SignInPage } from '@backstage/core-components';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import docrPlugin from '@backstage-docr/plugin-docr/alpha';
import notificationsPlugin from '@backstage/plugin-notifications/alpha';
import signalsPlugin from '@backstage/plugin-signals/alpha';
import { appNav } from './AppNav';

/** Guest sign-in for local use; a production app configures a real provider here. */
const signIn = createFrontendModule({
  pluginId: 'app',
  extensions: [
    appNav,
    SignInPageBlueprint.make({
      params: {
        loader: async () => (props: SignInPageProps) => (
          <SignInPage {...props} providers={['guest']} />
        ),
      },
    }),
  ],
});

export default createApp({
  features: [
    catalogPlugin,
    scaffolderPlugin,
    docrPlugin,
    notificationsPlugin,
    signalsPlugin,
    signIn,
  ],
});
