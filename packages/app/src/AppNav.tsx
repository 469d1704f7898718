import { Sidebar, SidebarItem } from '@backstage/core-components';
import { NavContentBlueprint } from '@backstage/plugin-app-react';
import { NotificationsSidebarItem } from '@backstage/plugin-notifications';

/**
 * The app's nav: each page's item, then the notifications bell with its unread count (live
 * through signals), which opens the notifications page.
 */
export const appNav = NavContentBlueprint.make({
  params: {
    component: ({ navItems }) => {
      // The bell links to the notifications page: no second item for it.
      navItems.take('page:notifications');
      return (
        <Sidebar>
          {navItems.rest().map(item => (
            <SidebarItem
              key={item.node.spec.id}
              to={item.href}
              icon={() => item.icon}
              text={item.title}
            />
          ))}
          <NotificationsSidebarItem />
        </Sidebar>
      );
    },
  },
});
