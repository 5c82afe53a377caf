// The Schedules panel's icon: a clock.
import { LabIcon } from '@jupyterlab/ui-components';

export const schedulesIcon = new LabIcon({
  name: 'rtlakehouse:schedules',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24"><g class="jp-icon3" fill="#616161"><path d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 18a8 8 0 1 1 0-16 8 8 0 0 1 0 16z"/><path d="M12.5 7H11v6l5.2 3.1.8-1.2-4.5-2.7z"/></g></svg>',
});
