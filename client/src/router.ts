import { createRouter, createWebHistory } from 'vue-router';

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', name: 'home', component: () => import('./views/HomeView.vue') },
    { path: '/classroom/:id', name: 'classroom', component: () => import('./views/ClassroomView.vue') },
    { path: '/join/:link', name: 'guest', component: () => import('./views/GuestJoinView.vue') },
    { path: '/deep-link', name: 'deepLink', component: () => import('./views/DeepLinkView.vue') },
    { path: '/admin', name: 'admin', component: () => import('./views/AdminView.vue') },
  ],
});
