import { DirectionProvider, MantineProvider, createTheme } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider, createBrowserRouter } from 'react-router';
import { ApiError } from './api/client';
import { Layout } from './components/layout';
import { SessionProvider } from './lib/session';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      retry: (count, err) => !(err instanceof ApiError && err.status < 500) && count < 2,
    },
  },
});

// Blue and focus ring chosen for contrast (WCAG AA) on white.
const theme = createTheme({ primaryColor: 'blue', primaryShade: 8, focusRing: 'always' });

/** Every page is its own chunk, loaded when first visited. */
const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { index: true, lazy: () => import('./pages/work-queue.page') },
      { path: 'sign-in', lazy: () => import('./pages/sign-in.page') },
      { path: 'requests', lazy: () => import('./pages/request-list.page') },
      { path: 'requests/new', lazy: () => import('./pages/submit-request.page') },
      { path: 'requests/:reference', lazy: () => import('./pages/request.page') },
      { path: 'reports', lazy: () => import('./pages/reports.page') },
      { path: 'admin/users', lazy: () => import('./pages/users.page') },
      { path: '*', lazy: () => import('./pages/not-found.page') },
    ],
  },
]);

export function App() {
  return (
    <DirectionProvider detectDirection>
      <MantineProvider theme={theme}>
        <QueryClientProvider client={queryClient}>
          <SessionProvider>
            <RouterProvider router={router} />
          </SessionProvider>
        </QueryClientProvider>
      </MantineProvider>
    </DirectionProvider>
  );
}
