import type { MetadataRoute } from 'next';

/** The installable app's name and icons (home screen, app switcher). */
export default function manifest(): MetadataRoute.Manifest {
  return {
    name: 'Tributary',
    short_name: 'Tributary',
    description: 'All your bank accounts in one place.',
    start_url: '/',
    display: 'standalone',
    background_color: '#f6f7f9',
    theme_color: '#0b5cad',
    icons: [
      { src: '/icon.svg', sizes: 'any', type: 'image/svg+xml' },
      { src: '/apple-icon.png', sizes: '180x180', type: 'image/png' },
    ],
  };
}
